package clock

import "time"

// ParsePOSIX parses a POSIX time the way git-annex's parsePOSIXTime does:
// an optional sign, decimal seconds, an optional '.' followed by at least one
// digit, and an optional trailing 's'; nothing else. As in git-annex the
// fraction is added to the integer part unless that part is negative, so
// "-1.5" is 1.5 seconds before the epoch while "-0.5" is half a second after
// it. The fraction is truncated to nanoseconds.
func ParsePOSIX(s string) (time.Time, bool) {
	sec, pico, n, ok := ParsePOSIXPrefix(s)
	if !ok || n != len(s) {
		return time.Time{}, false
	}
	return time.Unix(sec, pico/1000), true
}

// ParsePOSIXPrefix parses a POSIX time at the start of s with git-annex's
// grammar (see ParsePOSIX) at picosecond precision, as attoparsec's
// parserPOSIXTime does: it returns whole seconds (floor) and picoseconds in
// [0, 1e12), and the number of bytes consumed. A '.' without digits after
// it is left unconsumed.
func ParsePOSIXPrefix(s string) (sec, pico int64, n int, ok bool) {
	const picosPerSecond = 1_000_000_000_000
	i := 0
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		if sec > (1<<62)/10 {
			return 0, 0, 0, false
		}
		sec = sec*10 + int64(s[i]-'0')
		i++
	}
	if i == start {
		return 0, 0, 0, false
	}
	if i < len(s) && s[i] == '.' {
		j, digits := i+1, 0
		for j < len(s) && isDigit(s[j]) {
			if digits < 12 {
				pico = pico*10 + int64(s[j]-'0')
			}
			digits++
			j++
		}
		if digits > 0 {
			for ; digits < 12; digits++ {
				pico *= 10
			}
			i = j
		}
	}
	if i < len(s) && s[i] == 's' {
		i++
	}
	if neg && sec > 0 {
		sec = -sec
		if pico > 0 {
			sec--
			pico = picosPerSecond - pico
		}
	}
	return sec, pico, i, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
