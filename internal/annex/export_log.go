package annex

import (
	"context"
	"slices"

	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/uuid"
)

// exportLogPath is the branch file recording what trees are exported to
// which remotes.
const exportLogPath = "export.log"

// exportedTrees returns the trees export.log says remote u holds or was
// being given (an interrupted export), from every repository that exported
// to it, without duplicates: current trees first, then incomplete ones.
func (r *Repo) exportedTrees(ctx context.Context, u uuid.UUID) (current, incomplete []string, err error) {
	data, err := r.branch.Get(ctx, exportLogPath)
	if err != nil {
		return nil, nil, err
	}
	for p, e := range logs.ParseExportLog(data) {
		if p.To != u {
			continue
		}
		if !slices.Contains(current, e.Value.Tree) {
			current = append(current, e.Value.Tree)
		}
		for _, t := range e.Value.Incomplete {
			if !slices.Contains(incomplete, t) {
				incomplete = append(incomplete, t)
			}
		}
	}
	slices.Sort(current)
	slices.Sort(incomplete)
	return current, incomplete, nil
}

// recordExportBeginning records, for this repository exporting to u, that
// the export of tree began from old (git-annex's recordExportBeginning:
// value "OLD NEW", NEW listed as incomplete).
func (r *Repo) recordExportBeginning(ctx context.Context, u uuid.UUID, old, tree string) error {
	p := logs.ExportParticipants{From: r.here, To: u}
	now := r.now()
	return r.changeBranch(ctx, exportLogPath, func(b []byte) []byte {
		return logs.SetExport(b, p, logs.Exported{Tree: old, Incomplete: []string{tree}}, now)
	})
}

// recordExportUnderway records that u now holds tree: this repository's
// entry, and those of other repositories that exported one of olds to u,
// are set to tree (git-annex's recordExportUnderway).
func (r *Repo) recordExportUnderway(ctx context.Context, u uuid.UUID, olds []string, tree string) error {
	now := r.now()
	return r.changeBranch(ctx, exportLogPath, func(b []byte) []byte {
		set := []logs.ExportParticipants{{From: r.here, To: u}}
		for p, e := range logs.ParseExportLog(b) {
			if p.To == u && p.From != r.here && slices.Contains(olds, e.Value.Tree) {
				set = append(set, p)
			}
		}
		for _, p := range set {
			b = logs.SetExport(b, p, logs.Exported{Tree: tree}, now)
		}
		return b
	})
}
