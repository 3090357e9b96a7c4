package logs

import (
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/uuid"
)

// Old UUID-based logs (uuid.log, remote.log, trust.log, group.log,
// preferred-content.log, required-content.log, schedule.log, activity.log,
// difference.log, multicast.log) hold lines "UUID SP VALUE SP timestamp=TS".

// oldLog describes how one old UUID-based log encodes its values.
type oldLog[V any] struct {
	parse  func(string) (V, bool) // false skips the line, as git-annex does
	format func(V) string
}

var stringValues = oldLog[string]{
	parse:  func(s string) (string, bool) { return s, true },
	format: func(s string) string { return s },
}

// ParseUUIDLog parses an old UUID-based log, keeping per UUID the entry with
// the newest timestamp; of equally new entries the later line wins. Lines
// without a valid trailing " timestamp=TS" keep their whole value and an
// Unknown timestamp.
func ParseUUIDLog(b []byte) map[uuid.UUID]Entry[string] { return stringValues.parseLog(b) }

// FormatUUIDLog serialises m one line per UUID, sorted by UUID bytes.
// Values must not contain CR or LF.
func FormatUUIDLog(m map[uuid.UUID]Entry[string]) []byte { return stringValues.formatLog(m) }

// SetUUIDLog returns old with the value for u replaced by value, stamped
// with now advanced past u's previous entry (the vector clock rule). The
// whole log is rewritten compacted and sorted, as git-annex's changeLog does.
func SetUUIDLog(old []byte, u uuid.UUID, value string, now Timestamp) []byte {
	return stringValues.set(old, u, value, now)
}

func (l oldLog[V]) parseLog(b []byte) map[uuid.UUID]Entry[V] {
	m := map[uuid.UUID]Entry[V]{}
	for _, line := range splitLines(b) {
		u, raw, ts, ok := parseOldLine(line)
		if !ok {
			continue
		}
		v, ok := l.parse(raw)
		if !ok {
			continue
		}
		keepNewest(m, u, Entry[V]{TS: ts, Value: v})
	}
	return m
}

func (l oldLog[V]) formatLog(m map[uuid.UUID]Entry[V]) []byte {
	var b strings.Builder
	for _, u := range sortedKeys(m) {
		e := m[u]
		b.WriteString(string(u))
		b.WriteByte(' ')
		b.WriteString(l.format(e.Value))
		if e.TS.IsKnown() {
			b.WriteString(" timestamp=")
			b.WriteString(e.TS.String())
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

func (l oldLog[V]) set(old []byte, u uuid.UUID, v V, now Timestamp) []byte {
	m := l.parseLog(old)
	m[u] = Entry[V]{TS: Advance(now, m[u].TS), Value: v}
	return l.formatLog(m)
}

// parseOldLine splits "UUID[ VALUE][ timestamp=TS]" (logParserOld).
func parseOldLine(line string) (u uuid.UUID, value string, ts Timestamp, ok bool) {
	i := strings.IndexByte(line, ' ')
	if i == 0 {
		return "", "", Unknown, false
	}
	if i < 0 {
		return uuid.UUID(line), "", Unknown, true
	}
	u, rest := uuid.UUID(line[:i]), line[i:]
	// The timestamp can only be the last space-separated word.
	j := strings.LastIndexByte(rest, ' ')
	const tsKey = " timestamp="
	if strings.HasPrefix(rest[j:], tsKey) {
		if t, err := ParseTimestamp(rest[j+len(tsKey):]); err == nil {
			if j == 0 {
				return u, "", t, true
			}
			return u, rest[1:j], t, true
		}
	}
	return u, rest[1:], Unknown, true
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
