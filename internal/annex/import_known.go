package annex

import (
	"context"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// priorImport is what the git-annex branch says an import remote held:
// the keys of the trees export.log records for it (imported or exported,
// by any repository), and which of them its content identifiers name.
type priorImport struct {
	hereTree string // this repository's export.log tree for the remote
	keys     []key.Key
	byCID    map[remote.ContentID]key.Key
}

// previousImport reads the trees export.log records for remote u and the
// content identifier logs of their keys.
func (r *Repo) previousImport(ctx context.Context, u uuid.UUID) (*priorImport, error) {
	p := &priorImport{byCID: map[remote.ContentID]key.Key{}}
	data, err := r.branch.Get(ctx, exportLogPath)
	if err != nil {
		return nil, err
	}
	for part, e := range logs.ParseExportLog(data) {
		if part.To == u && part.From == r.here {
			p.hereTree = e.Value.Tree
		}
	}
	cur, incomplete, err := r.exportedTrees(ctx, u)
	if err != nil {
		return nil, err
	}
	files, err := r.oldExportFiles(ctx, cur, incomplete)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, f := range files {
		ks := f.Key.String()
		if seen[ks] {
			continue
		}
		seen[ks] = true
		p.keys = append(p.keys, f.Key)
		log, err := r.branch.Get(ctx, logs.KeyLogPath(f.Key, r.cfg.BranchHash1, logs.ContentIDExt))
		if err != nil {
			return nil, err
		}
		if e, ok := logs.ParseContentIDLog(log)[u]; ok {
			for _, c := range e.Value {
				p.byCID[remote.ContentID(c)] = f.Key
			}
		}
	}
	return p, nil
}
