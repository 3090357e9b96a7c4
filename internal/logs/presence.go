package logs

import (
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/uuid"
)

// Status is the state a presence log line records.
type Status byte

// The statuses of presence logs.
const (
	Present Status = '1'
	Missing Status = '0'
	Dead    Status = 'X'
)

// PresenceLine is one line "TS SP STATUS SP INFO" of a presence log:
// a location log (*.log, INFO = repository UUID) or a URL log
// (*.log.web, INFO = URL, possibly with a downloader prefix).
type PresenceLine struct {
	TS     Timestamp
	Status Status
	Info   string
}

// ParsePresence parses a presence log, keeping every valid line in file order.
func ParsePresence(b []byte) []PresenceLine {
	var out []PresenceLine
	for _, line := range splitLines(b) {
		ts, n, ok := parseTimestampPrefix(line)
		if !ok || len(line) < n+3 || line[n] != ' ' || line[n+2] != ' ' {
			continue
		}
		st := Status(line[n+1])
		if st != Present && st != Missing && st != Dead {
			continue
		}
		out = append(out, PresenceLine{TS: ts, Status: st, Info: line[n+3:]})
	}
	return out
}

// FormatPresence serialises lines in the given order. Infos must not contain
// CR or LF.
func FormatPresence(lines []PresenceLine) []byte {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.TS.String())
		b.WriteByte(' ')
		b.WriteByte(byte(l.Status))
		b.WriteByte(' ')
		b.WriteString(l.Info)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// CurrentPresence returns, per info, the line with the newest timestamp; of
// equally new lines the earlier one in the file wins (git-annex's
// foldr insertNewerLogLine).
func CurrentPresence(lines []PresenceLine) map[string]PresenceLine {
	m := make(map[string]PresenceLine, len(lines))
	for i := len(lines) - 1; i >= 0; i-- {
		l := lines[i]
		if old, ok := m[l.Info]; ok && l.TS.Before(old.TS) {
			continue
		}
		m[l.Info] = l
	}
	return m
}

// Compact returns the current line of each info, sorted by info bytes
// (git-annex's compactLog).
func Compact(lines []PresenceLine) []PresenceLine {
	m := CurrentPresence(lines)
	out := make([]PresenceLine, 0, len(m))
	for _, info := range sortedKeys(m) {
		out = append(out, m[info])
	}
	return out
}

// PresentInfos returns the infos whose current status is Present, sorted
// by bytes: the UUIDs holding a key, or a key's URLs.
func PresentInfos(lines []PresenceLine) []string {
	var out []string
	for _, l := range Compact(lines) {
		if l.Status == Present {
			out = append(out, l.Info)
		}
	}
	return out
}

// AddLocation records in location log old that repository u now has status
// st (git-annex's logChange/maybeAddLog). When u's current status already is
// st, it returns old unchanged and false. Otherwise the new line is stamped
// with now advanced past u's earlier lines and the result is compacted and
// sorted by UUID.
func AddLocation(old []byte, u uuid.UUID, st Status, now Timestamp) ([]byte, bool) {
	lines := ParsePresence(old)
	info := string(u)
	if cur, ok := CurrentPresence(lines)[info]; ok && cur.Status == st {
		return old, false
	}
	nl := newPresenceLine(lines, info, st, now)
	m := CurrentPresence(lines)
	m[info] = nl
	out := make([]PresenceLine, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return FormatPresence(out), true
}

// AddURL records in URL log old that url now has status st (git-annex's
// Logs.Presence.addLog): a line for a URL not yet in the log is appended
// at the end, leaving the rest of old byte for byte; otherwise the log is
// rewritten compacted and sorted, the new line winning ties. The new line is
// stamped with now advanced past the URL's earlier lines.
func AddURL(old []byte, url string, st Status, now Timestamp) []byte {
	lines := ParsePresence(old)
	return addPresence(old, lines, PresenceLine{TS: now, Status: st, Info: url})
}

// MarkDead marks a key whose content is gone everywhere as dead in its
// location log, as `git annex dead --key` does: every UUID whose current
// status is Missing gets a Dead line stamped one picosecond after its
// Missing line. It reports whether anything changed.
func MarkDead(old []byte) ([]byte, bool) {
	lines := ParsePresence(old)
	content, changed := old, false
	for _, l := range Compact(lines) {
		if l.Status != Missing {
			continue
		}
		content = addPresence(content, ParsePresence(content),
			PresenceLine{TS: l.TS.AddPicosecond(), Status: Dead, Info: l.Info})
		changed = true
	}
	return content, changed
}

// addPresence is Logs.Presence.addLog' with the candidate clock in nl.TS.
func addPresence(old []byte, lines []PresenceLine, nl PresenceLine) []byte {
	nl = newPresenceLine(lines, nl.Info, nl.Status, nl.TS)
	known := slices.ContainsFunc(lines, func(l PresenceLine) bool { return l.Info == nl.Info })
	if !known {
		out := slices.Clip(old)
		if len(out) > 0 && out[len(out)-1] != '\n' && out[len(out)-1] != '\r' {
			out = append(out, '\n')
		}
		return append(out, FormatPresence([]PresenceLine{nl})...)
	}
	return FormatPresence(Compact(append([]PresenceLine{nl}, lines...)))
}

// newPresenceLine applies the vector clock rule against the earlier lines
// for the same info (genLine).
func newPresenceLine(lines []PresenceLine, info string, st Status, now Timestamp) PresenceLine {
	var prev []Timestamp
	for _, l := range lines {
		if l.Info == info {
			prev = append(prev, l.TS)
		}
	}
	return PresenceLine{TS: Advance(now, prev...), Status: st, Info: info}
}
