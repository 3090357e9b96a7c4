package logs

import (
	"strconv"
	"strings"
)

// Single-value logs (numcopies.log, mincopies.log) hold lines "TS SP VALUE";
// the greatest (timestamp, value) pair is current.

// singleLog describes how one single-value log encodes its value.
type singleLog[V any] struct {
	parse   func(string) (V, bool)
	format  func(V) string
	compare func(a, b V) int
}

var copiesLog = singleLog[int]{
	parse:   parseHaskellInt,
	format:  strconv.Itoa,
	compare: func(a, b int) int { return cmpInt(int64(a), int64(b)) },
}

// ParseCopiesLog returns the current value of numcopies.log or
// mincopies.log, and false when the log has no valid line.
func ParseCopiesLog(b []byte) (Entry[int], bool) { return copiesLog.parseLog(b) }

// SetCopiesLog returns the content of numcopies.log or mincopies.log after
// setting it to n: a single line stamped with now advanced past every
// earlier line (git-annex's setLog). Callers that, like git-annex, skip
// writing an unchanged value compare with ParseCopiesLog first.
func SetCopiesLog(old []byte, n int, now Timestamp) []byte { return copiesLog.set(old, n, now) }

func (l singleLog[V]) parseLog(b []byte) (Entry[V], bool) {
	var best Entry[V]
	found := false
	for _, line := range splitLines(b) {
		ts, n, ok := parseTimestampPrefix(line)
		if !ok || n >= len(line) || line[n] != ' ' {
			continue
		}
		v, ok := l.parse(line[n+1:])
		if !ok {
			continue
		}
		c := ts.Compare(best.TS)
		if !found || c > 0 || (c == 0 && l.compare(v, best.Value) > 0) {
			best, found = Entry[V]{TS: ts, Value: v}, true
		}
	}
	return best, found
}

func (l singleLog[V]) parseAll(b []byte) []Timestamp {
	var out []Timestamp
	for _, line := range splitLines(b) {
		ts, n, ok := parseTimestampPrefix(line)
		if !ok || n >= len(line) || line[n] != ' ' {
			continue
		}
		if _, ok := l.parse(line[n+1:]); ok {
			out = append(out, ts)
		}
	}
	return out
}

func (l singleLog[V]) set(old []byte, v V, now Timestamp) []byte {
	ts := Advance(now, l.parseAll(old)...)
	return []byte(ts.String() + " " + l.format(v) + "\n")
}

// parseHaskellInt accepts what git-annex's readish does for an Int: the
// decimal number optionally preceded by '-' and surrounded by whitespace.
func parseHaskellInt(s string) (int, bool) {
	s = strings.TrimFunc(s, isHaskellSpace)
	if s == "" || s[0] == '+' {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
