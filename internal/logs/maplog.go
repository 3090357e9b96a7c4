package logs

import (
	"slices"
	"strings"
)

// Map logs (config.log, group-preferred-content.log, *.log.rmt, and the
// typed export.log, *.log.cnk, *.log.cid) hold lines "TS SP FIELD SP VALUE".

// mapLog describes how one map log encodes its fields and values.
type mapLog[F comparable, V any] struct {
	parseField  func(string) (F, bool)
	formatField func(F) string
	compare     func(a, b F) int // the order git-annex writes fields in
	parseValue  func(string) (V, bool)
	formatValue func(V) string
}

var stringMap = mapLog[string, string]{
	parseField:  func(s string) (string, bool) { return s, true },
	formatField: func(s string) string { return s },
	compare:     strings.Compare,
	parseValue:  func(s string) (string, bool) { return s, true },
	formatValue: func(s string) string { return s },
}

// ParseMapLog parses a map log, keeping per field the entry with the newest
// timestamp; of equally new entries the later line wins. The value is the
// rest of the line after the field and one space, and may be empty.
func ParseMapLog(b []byte) map[string]Entry[string] { return stringMap.parseLog(b) }

// FormatMapLog serialises m one line per field, sorted by field bytes.
// Fields must not contain SP, CR or LF; values must not contain CR or LF.
func FormatMapLog(m map[string]Entry[string]) []byte { return stringMap.formatLog(m) }

// SetMapLog returns old with field set to value, stamped with now advanced
// past the field's previous entry, compacted and sorted (changeMapLog).
// An empty value is how git-annex records an unset config.log setting.
func SetMapLog(old []byte, field, value string, now Timestamp) []byte {
	return stringMap.set(old, field, value, now)
}

func (l mapLog[F, V]) parseLog(b []byte) map[F]Entry[V] {
	m := map[F]Entry[V]{}
	for _, line := range splitLines(b) {
		ts, n, ok := parseTimestampPrefix(line)
		if !ok || n >= len(line) || line[n] != ' ' {
			continue
		}
		rest := line[n+1:]
		i := strings.IndexByte(rest, ' ')
		if i < 0 {
			continue
		}
		f, ok := l.parseField(rest[:i])
		if !ok {
			continue
		}
		v, ok := l.parseValue(rest[i+1:])
		if !ok {
			continue
		}
		keepNewest(m, f, Entry[V]{TS: ts, Value: v})
	}
	return m
}

func (l mapLog[F, V]) formatLog(m map[F]Entry[V]) []byte {
	fields := make([]F, 0, len(m))
	for f := range m {
		fields = append(fields, f)
	}
	slices.SortFunc(fields, l.compare)
	var b strings.Builder
	for _, f := range fields {
		e := m[f]
		b.WriteString(e.TS.String())
		b.WriteByte(' ')
		b.WriteString(l.formatField(f))
		b.WriteByte(' ')
		b.WriteString(l.formatValue(e.Value))
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

func (l mapLog[F, V]) set(old []byte, f F, v V, now Timestamp) []byte {
	m := l.parseLog(old)
	m[f] = Entry[V]{TS: Advance(now, m[f].TS), Value: v}
	return l.formatLog(m)
}
