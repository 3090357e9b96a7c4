package logs

import (
	"cmp"
	"strings"

	"github.com/troveproject/trove/internal/uuid"
)

// ExportParticipants is the field of an export.log line: the repository
// that exported and the special remote exported to.
type ExportParticipants struct {
	From, To uuid.UUID
}

// Exported is the value of an export.log line: the tree exported and the
// trees whose export was started but not finished.
type Exported struct {
	Tree       string
	Incomplete []string
}

var exportLog = mapLog[ExportParticipants, Exported]{
	parseField: func(s string) (ExportParticipants, bool) {
		from, to, ok := strings.Cut(s, ":")
		if !ok || from == "" || to == "" {
			return ExportParticipants{}, false
		}
		return ExportParticipants{From: uuid.UUID(from), To: uuid.UUID(to)}, true
	},
	formatField: func(p ExportParticipants) string { return string(p.From) + ":" + string(p.To) },
	compare: func(a, b ExportParticipants) int {
		return cmp.Or(strings.Compare(string(a.From), string(b.From)), strings.Compare(string(a.To), string(b.To)))
	},
	parseValue: func(s string) (Exported, bool) {
		// One trailing space is tolerated, as by git-annex's parser.
		refs := strings.Split(strings.TrimSuffix(s, " "), " ")
		for _, r := range refs {
			if r == "" {
				return Exported{}, false
			}
		}
		return Exported{Tree: refs[0], Incomplete: refs[1:]}, true
	},
	formatValue: func(e Exported) string {
		return strings.Join(append([]string{e.Tree}, e.Incomplete...), " ")
	},
}

// ParseExportLog parses export.log.
func ParseExportLog(b []byte) map[ExportParticipants]Entry[Exported] { return exportLog.parseLog(b) }

// SetExport returns export.log old with the entry for p set to e, sorted by
// (From, To) as git-annex writes it.
func SetExport(old []byte, p ExportParticipants, e Exported, now Timestamp) []byte {
	return exportLog.set(old, p, e, now)
}
