package clock

import "time"

// ParsePOSIX parses a POSIX time the way git-annex's parsePOSIXTime does:
// an optional sign, decimal seconds, an optional '.' followed by at least one
// digit, and an optional trailing 's'; nothing else. As in git-annex the
// fraction is added to the integer part unless that part is negative, so
// "-1.5" is 1.5 seconds before the epoch while "-0.5" is half a second after
// it. The fraction is truncated to nanoseconds.
func ParsePOSIX(s string) (time.Time, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var sec int64
	for i < len(s) && isDigit(s[i]) {
		if sec > (1<<62)/10 {
			return time.Time{}, false
		}
		sec = sec*10 + int64(s[i]-'0')
		i++
	}
	if i == start {
		return time.Time{}, false
	}
	var nsec int64
	if i < len(s) && s[i] == '.' {
		j := i + 1
		digits := 0
		for j < len(s) && isDigit(s[j]) {
			if digits < 9 {
				nsec = nsec*10 + int64(s[j]-'0')
			}
			digits++
			j++
		}
		if digits == 0 {
			return time.Time{}, false
		}
		for ; digits < 9; digits++ {
			nsec *= 10
		}
		i = j
	}
	if i < len(s) && s[i] == 's' {
		i++
	}
	if i != len(s) {
		return time.Time{}, false
	}
	if neg {
		sec = -sec
	}
	if sec < 0 && nsec > 0 {
		return time.Unix(sec-1, 1e9-nsec), true
	}
	return time.Unix(sec, nsec), true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
