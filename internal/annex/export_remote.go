package annex

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// exportRemote is a special remote configured with exporttree=yes, seen
// as a remote.Remote: a key is where the exported tree has it, so get,
// whereis and fsck work through the files of the tree (export.log's trees
// for the remote), while copy --to and drop --from are refused, as in
// git-annex.
type exportRemote struct {
	remote.Remote // the type's remote
	exp           remote.Exporter
	r             *Repo
	name          string
	uuid          uuid.UUID

	once sync.Once
	locs map[string][]remote.ExportLocation // key → locations in the exported trees
	err  error
}

// ErrExportRemote is wrapped when a key-based operation (copy --to, drop
// --from) is asked of a remote that holds an exported tree.
var ErrExportRemote = errors.New("remote holds an exported tree")

// asExportRemote puts an exportRemote below rm when it is a special
// remote configured with exporttree=yes whose type can export (so the
// specialRemote's read-only checks, Info, Whereis and Close still apply),
// and returns rm.
func (r *Repo) asExportRemote(rm remote.Remote) remote.Remote {
	s, ok := rm.(*specialRemote)
	if !ok || s.cfg["exporttree"] != "yes" {
		return rm
	}
	if exp, ok := s.Remote.(remote.Exporter); ok {
		s.Remote = &exportRemote{Remote: s.Remote, exp: exp, r: r, name: s.name, uuid: s.uuid}
	}
	return rm
}

// exportRemoteOf returns the exportRemote below rm, if any.
func exportRemoteOf(rm remote.Remote) (*specialRemote, *exportRemote, bool) {
	s, ok := rm.(*specialRemote)
	if !ok {
		return nil, nil, false
	}
	e, ok := s.Remote.(*exportRemote)
	return s, e, ok
}

// locations returns where the exported trees of the remote have k.
func (e *exportRemote) locations(ctx context.Context, k key.Key) ([]remote.ExportLocation, error) {
	e.once.Do(func() {
		e.locs = map[string][]remote.ExportLocation{}
		cur, _, err := e.r.exportedTrees(ctx, e.uuid)
		if err != nil {
			e.err = err
			return
		}
		for _, t := range cur {
			files, err := e.r.treeFiles(ctx, t)
			if err != nil {
				e.err = fmt.Errorf("read the tree exported to %s: %w", e.name, err)
				return
			}
			for _, f := range files {
				e.locs[f.Key.String()] = append(e.locs[f.Key.String()], f.Loc)
			}
		}
	})
	return e.locs[k.String()], e.err
}

// versioned reports whether the remote keeps every version of the files
// exported to it (S3 with versioning=yes): then, as in git-annex, keys are
// retrieved and checked by the version recorded for them, first, and a
// key whose file leaves the exported tree stays on the remote.
func (e *exportRemote) versioned() bool {
	v, ok := e.exp.(remote.VersionedExporter)
	return ok && v.VersionedExport()
}

// Store implements remote.Remote: refused; content goes to an export
// remote with `git annex export`.
func (e *exportRemote) Store(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	return fmt.Errorf("%s is configured with exporttree=yes; update it with `git annex export BRANCH --to %s`: %w", e.name, e.name, ErrExportRemote)
}

// Remove implements remote.Remote: refused, as dropping one key would
// delete files of the exported tree.
func (e *exportRemote) Remove(ctx context.Context, k key.Key) error {
	return fmt.Errorf("cannot drop %s from %s, which holds an exported tree; export a tree without the file instead (`git annex export BRANCH --to %s`): %w", k, e.name, e.name, ErrExportRemote)
}

// Retrieve implements remote.Remote from the first location of the
// exported tree that has k (from the version recorded for k first, when
// the remote is versioned). Keys whose content cannot be verified by
// their name (WORM, URL) are refused, as git-annex does, since a file of
// an export may have been changed by anyone.
func (e *exportRemote) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	if b, err := backend.Lookup(k.Variety); err != nil || !b.IsHash() {
		return fmt.Errorf("%s cannot be downloaded from the export %s: its key has no checksum to verify it with: %w", k, e.name, remote.ErrUnsupported)
	}
	var errs []error
	if e.versioned() {
		// The version recorded for k outlives its file in the tree.
		err := e.Remote.Retrieve(ctx, k, dst, m)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
		if err := dst.Restart(); err != nil {
			return err
		}
	}
	locs, err := e.locations(ctx, k)
	if err != nil {
		return err
	}
	if len(locs) == 0 && len(errs) == 0 {
		return fmt.Errorf("%s is not in the tree exported to %s: %w", k, e.name, remote.ErrNotPresent)
	}
	for _, l := range locs {
		err := e.exp.RetrieveExport(ctx, k, l, dst, m)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// CheckPresent implements remote.Remote: whether a location of the
// exported tree that should have k has a file; for a versioned remote,
// whether the version recorded for k is there.
func (e *exportRemote) CheckPresent(ctx context.Context, k key.Key) (bool, error) {
	if e.versioned() {
		return e.Remote.CheckPresent(ctx, k)
	}
	locs, err := e.locations(ctx, k)
	if err != nil {
		return false, err
	}
	for _, l := range locs {
		ok, err := e.exp.CheckPresentExport(ctx, k, l)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// Whereis implements remote.Whereiser for the remote below.
func (e *exportRemote) Whereis(ctx context.Context, k key.Key) ([]string, error) {
	if w, ok := e.Remote.(remote.Whereiser); ok {
		return w.Whereis(ctx, k)
	}
	return nil, nil
}

// Availability implements remote.Availabler for the remote below.
func (e *exportRemote) Availability() remote.Availability {
	if a, ok := e.Remote.(remote.Availabler); ok {
		return a.Availability()
	}
	return remote.GloballyAvailable
}

// Info implements remote.InfoReporter for the remote below.
func (e *exportRemote) Info() []remote.InfoField {
	if ir, ok := e.Remote.(remote.InfoReporter); ok {
		return ir.Info()
	}
	return nil
}

// Type implements remote.InfoReporter for the remote below.
func (e *exportRemote) Type() string {
	if ir, ok := e.Remote.(remote.InfoReporter); ok {
		return ir.Type()
	}
	return ""
}

// Close implements remote.Closer for the remote below.
func (e *exportRemote) Close(ctx context.Context) error {
	if c, ok := e.Remote.(remote.Closer); ok {
		return c.Close(ctx)
	}
	return nil
}

var (
	_ remote.Remote       = (*exportRemote)(nil)
	_ remote.Whereiser    = (*exportRemote)(nil)
	_ remote.Availabler   = (*exportRemote)(nil)
	_ remote.InfoReporter = (*exportRemote)(nil)
	_ remote.Closer       = (*exportRemote)(nil)
)
