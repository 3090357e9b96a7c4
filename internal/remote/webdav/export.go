package webdav

import (
	"context"
	"fmt"
	"strings"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// exportPath is loc as a location on the server. Like git-annex, it
// refuses names with '#' or '?', which git-annex cannot put in a URL, so
// that both tools export the same trees.
func exportPath(loc remote.ExportLocation) (string, error) {
	p := loc.String()
	if strings.ContainsAny(p, "#?") {
		return "", remote.Permanent(fmt.Errorf("Cannot store file containing '#' or '?' on webdav: %s", p))
	}
	return p, nil
}

// exportTmpLocation is where a file for loc is uploaded before it is
// moved into place: beside it in its collection (git-annex's
// exportTmpLocation; some servers mishandle renames across collections).
func exportTmpLocation(p string, k key.Key) string {
	return parent(p) + keyTmpLocation(k)
}

// StoreExport implements remote.Exporter: an upload under a temporary
// name in loc's collection, then a MOVE to loc.
func (r *Remote) StoreExport(ctx context.Context, src remote.Source, k key.Key, loc remote.ExportLocation, m progress.Meter) error {
	p, err := exportPath(loc)
	if err != nil {
		return err
	}
	unlock := r.locks.Lock(k)
	defer unlock()
	if err := r.storeAt(ctx, exportTmpLocation(p, k), p, src, m); err != nil {
		return fmt.Errorf("export %s: %w", p, err)
	}
	return nil
}

// RetrieveExport implements remote.Exporter: a GET of loc, resumed with
// a Range request when dst holds a prefix.
func (r *Remote) RetrieveExport(ctx context.Context, k key.Key, loc remote.ExportLocation, dst remote.Sink, m progress.Meter) error {
	p, err := exportPath(loc)
	if err != nil {
		return err
	}
	if err := r.retrieve(ctx, p, dst, m); err != nil {
		return fmt.Errorf("retrieve exported %s: %w", p, err)
	}
	return nil
}

// CheckPresentExport implements remote.Exporter: a PROPFIND of loc. A
// name the remote cannot hold is not there.
func (r *Remote) CheckPresentExport(ctx context.Context, k key.Key, loc remote.ExportLocation) (bool, error) {
	p, err := exportPath(loc)
	if err != nil {
		return false, nil
	}
	ok, err := r.c.exists(ctx, p)
	if err != nil {
		return false, fmt.Errorf("check exported %s: %w", p, err)
	}
	return ok, nil
}

// RemoveExport implements remote.Exporter: a DELETE of loc. A name the
// remote cannot hold is certainly not stored, so removing it succeeds
// (git-annex does the same, so that a failed export can be undone).
func (r *Remote) RemoveExport(ctx context.Context, k key.Key, loc remote.ExportLocation) error {
	p, err := exportPath(loc)
	if err != nil {
		return nil
	}
	if err := r.remove(ctx, p); err != nil {
		return fmt.Errorf("remove exported %s: %w", p, err)
	}
	return nil
}

// RemoveExportDirectory implements remote.Exporter: a DELETE of the
// collection dir and what is left in it; an absent one is fine.
func (r *Remote) RemoveExportDirectory(ctx context.Context, dir remote.ExportLocation) error {
	if err := r.remove(ctx, dir.String()+"/"); err != nil {
		return fmt.Errorf("remove exported directory %s: %w", dir, err)
	}
	return nil
}

// RenameExport implements remote.Exporter: a MOVE, its collection made
// first. Several servers rename badly, so after a failure it is unclear
// where the file ended up: like git-annex, it deletes both names and
// reports the rename unsupported, so the caller uploads again.
func (r *Remote) RenameExport(ctx context.Context, k key.Key, from, to remote.ExportLocation) (bool, error) {
	src, err := exportPath(from)
	if err != nil {
		return false, err
	}
	dest, err := exportPath(to)
	if err != nil {
		return false, err
	}
	err = r.c.mkcol(ctx, parent(dest))
	if err == nil {
		err = r.move(ctx, src, dest)
	}
	if err == nil {
		return true, nil
	}
	if ctx.Err() != nil {
		return false, fmt.Errorf("rename exported %s to %s: %w", src, dest, ctx.Err())
	}
	for _, p := range []string{src, dest} {
		if err := r.remove(ctx, p); err != nil {
			return false, fmt.Errorf("rename exported %s to %s failed, and so did removing %s: %w", src, dest, p, err)
		}
	}
	return false, nil
}

var _ remote.Exporter = (*Remote)(nil)
