package logs

import (
	"fmt"
	"github.com/troveproject/trove/internal/clock"
	"strconv"
	"strings"
	"time"
)

const picosPerSecond = 1_000_000_000_000

// Timestamp is a git-annex vector clock value: a POSIX time with picosecond
// resolution, exactly as written in branch logs ("1795211088.55406722s").
// The zero value is Unknown, the clock of very old log lines without one,
// which sorts before every known time. Timestamp is comparable with ==.
type Timestamp struct {
	sec   int64 // floor of the time in seconds
	pico  int64 // picoseconds past sec, in [0, 1e12)
	known bool
}

// Unknown is the timestamp of log lines that carry none.
var Unknown Timestamp

// FromTime converts t to a Timestamp (nanosecond precision).
func FromTime(t time.Time) Timestamp {
	return Timestamp{sec: t.Unix(), pico: int64(t.Nanosecond()) * 1000, known: true}
}

// FromUnix returns the timestamp sec + pico/1e12; pico may be any value and is
// normalised.
func FromUnix(sec, pico int64) Timestamp {
	sec += pico / picosPerSecond
	pico %= picosPerSecond
	if pico < 0 {
		sec--
		pico += picosPerSecond
	}
	return Timestamp{sec: sec, pico: pico, known: true}
}

// IsKnown reports whether ts is not Unknown.
func (ts Timestamp) IsKnown() bool { return ts.known }

// Unix returns the floor of ts in seconds and the picoseconds past it.
func (ts Timestamp) Unix() (sec, pico int64) { return ts.sec, ts.pico }

// Time returns ts as a time.Time, truncated to nanoseconds. Unknown yields
// the Unix epoch, as git-annex treats it for display.
func (ts Timestamp) Time() time.Time { return time.Unix(ts.sec, ts.pico/1000).UTC() }

// Compare returns -1, 0 or +1 as ts is older than, equal to or newer than o.
// Unknown is older than every known timestamp.
func (ts Timestamp) Compare(o Timestamp) int {
	switch {
	case ts.known != o.known:
		if ts.known {
			return 1
		}
		return -1
	case ts.sec != o.sec:
		return cmpInt(ts.sec, o.sec)
	default:
		return cmpInt(ts.pico, o.pico)
	}
}

// Before reports whether ts is older than o.
func (ts Timestamp) Before(o Timestamp) bool { return ts.Compare(o) < 0 }

// After reports whether ts is newer than o.
func (ts Timestamp) After(o Timestamp) bool { return ts.Compare(o) > 0 }

// AddSecond returns ts plus one second. Unknown stays Unknown.
func (ts Timestamp) AddSecond() Timestamp {
	if ts.known {
		ts.sec++
	}
	return ts
}

// AddPicosecond returns ts plus one picosecond, as `git annex dead --key`
// does. Unknown becomes 0 (the epoch), as in git-annex.
func (ts Timestamp) AddPicosecond() Timestamp {
	if !ts.known {
		return FromUnix(0, 0)
	}
	return FromUnix(ts.sec, ts.pico+1)
}

// Advance applies git-annex's vector clock rule (advanceVectorClock): the
// clock for a changed entry is now, unless an earlier entry for the same
// field (prev) is at least as new, in which case it is the newest of prev
// plus one second. Unknown entries in prev are ignored.
func Advance(now Timestamp, prev ...Timestamp) Timestamp {
	newest := Unknown
	for _, p := range prev {
		if p.After(newest) {
			newest = p
		}
	}
	if newest.known && newest.Compare(now) >= 0 {
		return newest.AddSecond()
	}
	return now
}

// String returns ts as git-annex writes it: seconds, then '.' and the
// fraction with trailing zeros removed when it is non-zero, then 's'
// ("1700000000s", "-1.5s"). Unknown is written "0", like git-annex's
// formatVectorClock.
func (ts Timestamp) String() string {
	if !ts.known {
		return "0"
	}
	sec, pico, sign := ts.sec, ts.pico, ""
	if sec < 0 {
		sign = "-"
		if pico > 0 {
			sec, pico = -sec-1, picosPerSecond-pico
		} else {
			sec = -sec
		}
	}
	if pico == 0 {
		return sign + strconv.FormatInt(sec, 10) + "s"
	}
	frac := strings.TrimRight(fmt.Sprintf("%012d", pico), "0")
	return sign + strconv.FormatInt(sec, 10) + "." + frac + "s"
}

// ParseTimestamp parses a POSIX time as git-annex's parsePOSIXTime does:
// an optional sign, decimal seconds, optionally '.' and at least one digit,
// optionally 's', and nothing else ("1795211088.55406722s", "1317929189",
// "-1.5s"). Fractions are truncated to picoseconds. As in git-annex, the
// fraction is subtracted only when the integer part is negative, so "-0.5"
// means +0.5. The error names the input.
func ParseTimestamp(s string) (Timestamp, error) {
	ts, n, ok := parseTimestampPrefix(s)
	if !ok || n != len(s) {
		return Unknown, fmt.Errorf("logs: invalid timestamp %q", s)
	}
	return ts, nil
}

// parseTimestampPrefix parses a timestamp at the start of s (attoparsec's
// parserPOSIXTime) and returns it with the number of bytes consumed.
func parseTimestampPrefix(s string) (Timestamp, int, bool) {
	sec, pico, n, ok := clock.ParsePOSIXPrefix(s)
	if !ok {
		return Unknown, 0, false
	}
	return FromUnix(sec, pico), n, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
