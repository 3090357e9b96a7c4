package logs

import "bytes"

// Entry is the current value of one field of a log together with the
// vector clock of the line it came from.
type Entry[V any] struct {
	TS    Timestamp
	Value V
}

// splitLines splits b as git-annex's parseLogLines does: any run of CR and LF
// bytes ends a line, and empty lines (which no log format accepts) are
// dropped.
func splitLines(b []byte) []string {
	var out []string
	for len(b) > 0 {
		i := bytes.IndexAny(b, "\r\n")
		if i < 0 {
			i = len(b)
		}
		if i > 0 {
			out = append(out, string(b[:i]))
		}
		for i < len(b) && (b[i] == '\r' || b[i] == '\n') {
			i++
		}
		b = b[i:]
	}
	return out
}

// keepNewest is git-annex's MapLog "best" under M.fromListWith: a later
// line replaces an earlier one unless the earlier one is strictly newer.
func keepNewest[K comparable, V any](m map[K]Entry[V], k K, e Entry[V]) {
	if old, ok := m[k]; ok && old.TS.After(e.TS) {
		return
	}
	m[k] = e
}
