package annex

import (
	"context"
	"slices"

	"github.com/troveproject/trove/internal/remote"
)

// SyncExportReporter is implemented by the SyncTransfers of a sync that
// renders the steps of the exports it makes (as `git annex export` shows
// them). Without it, those steps are carried out unreported.
type SyncExportReporter interface {
	// Exported reports one step of an export to a remote that tracks a
	// branch; it is called from the goroutine running Sync.
	Exported(ExportEvent)
}

// syncExports is the export step of `sync --content` (internals §11.3):
// each export remote configured with
// remote.NAME.annex-tracking-branch=BRANCH[:SUBDIR] (among those named on
// the command line, if any, with annex-sync and pulling not turned off) is made to
// hold that tree, as `git annex export BRANCH[:SUBDIR] --to NAME` would.
// It returns the remotes of rs that are not export remotes, the only ones
// the key-by-key content pass works with. A failed export to one remote
// is reported and counted as a failed step; it does not stop the sync.
func (s *syncRun) syncExports(ctx context.Context, rs []remote.Remote) ([]remote.Remote, error) {
	rest := slices.DeleteFunc(slices.Clone(rs), func(rm remote.Remote) bool {
		_, _, ok := exportRemoteOf(rm)
		return ok
	})
	all, err := s.r.Remotes(ctx)
	if err != nil {
		return nil, err
	}
	rep := func(ExportEvent) {}
	if er, ok := s.opts.Transfers.(SyncExportReporter); ok {
		rep = er.Exported
	}
	for _, rm := range all {
		tracking, ok := s.exportTracking(rm)
		if !ok {
			continue
		}
		err := s.r.Export(ctx, ExportOptions{Treeish: tracking, To: rm.Name()}, rep)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			s.rep.Start("export", rm.Name())
			s.rep.Warn(err.Error())
			s.rep.End(false)
			s.res.Failed++
		}
	}
	return rest, nil
}

// exportTracking returns the tracking branch of rm when sync exports to
// it: an export remote this sync works with that has annex-tracking-branch.
func (s *syncRun) exportTracking(rm remote.Remote) (string, bool) {
	if _, _, ok := exportRemoteOf(rm); !ok {
		return "", false
	}
	if len(s.opts.Remotes) > 0 && !slices.Contains(s.opts.Remotes, rm.Name()) {
		return "", false
	}
	// git-annex 10.20230126 exports only when it pulls from the remote
	// (not with --no-pull or annex-pull=false).
	if c, ok := s.r.cfg.Remote(rm.Name()); ok && (!c.Sync || !s.opts.Pull.resolve(c.Pull)) {
		return "", false
	}
	tracking, ok := s.r.cfg.Git().Get("remote." + rm.Name() + ".annex-tracking-branch")
	return tracking, ok && tracking != ""
}
