package directory

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/keylock"
	"github.com/troveproject/trove/internal/uuid"
)

// Remote is a directory special remote. It is safe for concurrent use:
// stores of one key within the process are serialised, and different keys
// never share a file.
type Remote struct {
	name  string
	uuid  uuid.UUID
	cost  float64
	dir   string
	cfg   remote.Config
	locks keylock.Set
	// unsynced is set while stored content may not be durable yet (see
	// Flush).
	unsynced atomic.Bool
}

// New returns the directory remote p describes, storing in dir (an
// absolute path). It does no I/O.
func New(p remote.Params, dir string) *Remote {
	cost := p.Cost
	if cost == 0 {
		cost = remote.CheapCost
	}
	return &Remote{name: p.Name, uuid: p.UUID, cost: cost, dir: dir, cfg: p.Config}
}

// Name implements remote.Remote.
func (r *Remote) Name() string { return r.name }

// UUID implements remote.Remote.
func (r *Remote) UUID() uuid.UUID { return r.uuid }

// Cost implements remote.Remote.
func (r *Remote) Cost() float64 { return r.cost }

// Dir returns the storage directory.
func (r *Remote) Dir() string { return r.dir }

// IgnoreInodes reports whether ignoreinodes=yes is configured.
func (r *Remote) IgnoreInodes() bool { return r.cfg[IgnoreInodesField] == "yes" }

// keyDir is where k's key directory is in the current layout.
func (r *Remote) keyDir(k key.Key) string {
	return filepath.Join(r.dir, k.HashDirLower(), k.File())
}

// locations are the paths k's content may have, current layout first.
func (r *Remote) locations(k key.Key) []string {
	f := k.File()
	return []string{
		filepath.Join(r.dir, k.HashDirLower(), f, f),
		filepath.Join(r.dir, k.HashDirMixed(), f, f),
	}
}

// inaccessible is git-annex's error for a missing storage directory.
func (r *Remote) inaccessible() error {
	return fmt.Errorf("directory %s is not accessible: %w (mount it, or point the remote elsewhere with `git annex enableremote %s directory=PATH`)", r.dir, remote.ErrUnavailable, r.name)
}

// checkDir fails with ErrUnavailable when the storage directory is missing.
func (r *Remote) checkDir() error {
	if fi, err := os.Stat(r.dir); err != nil || !fi.IsDir() {
		return r.inaccessible()
	}
	return nil
}

// find returns the path of k's content, or an error wrapping
// ErrNotPresent (ErrUnavailable when the directory itself is missing).
func (r *Remote) find(k key.Key) (string, error) {
	for _, p := range r.locations(k) {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
	}
	if err := r.checkDir(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("%s not found in directory %s: %w", k, r.dir, remote.ErrNotPresent)
}

// CheckPresent implements remote.Remote. A missing storage directory is an
// error (presence unknown), as in git-annex.
func (r *Remote) CheckPresent(ctx context.Context, k key.Key) (bool, error) {
	_, err := r.find(k)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, remote.ErrNotPresent):
		return false, nil
	}
	return false, err
}

// Store implements remote.Remote: the content is written to
// <dir>/tmp/<keyFile>/<keyFile>, and the key directory renamed into place
// and frozen. A key already present with the right size is left alone.
func (r *Remote) Store(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) (err error) {
	if err := r.checkDir(); err != nil {
		return err
	}
	unlock := r.locks.Lock(k)
	defer unlock()
	if r.complete(k) {
		return nil
	}
	f := k.File()
	tmpDir := filepath.Join(r.dir, "tmp", f)
	if err := removeKeyDir(tmpDir); err != nil {
		return err
	}
	if err := os.MkdirAll(tmpDir, 0o777); err != nil {
		return fmt.Errorf("store %s: %w", k, err)
	}
	defer func() {
		if err != nil {
			_ = removeKeyDir(tmpDir)
		}
	}()
	tmp := filepath.Join(tmpDir, f)
	r.unsynced.Store(true)
	if err := copySource(ctx, tmp, src, m, false); err != nil {
		return fmt.Errorf("store %s in %s: %w", k, r.dir, err)
	}
	if err := fsutil.FreezeFile(tmp, fsutil.NotShared); err != nil {
		return fmt.Errorf("store %s: %w", k, err)
	}
	dest := r.keyDir(k)
	if err := removeKeyDir(dest); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o777); err != nil {
		return fmt.Errorf("store %s: %w", k, err)
	}
	if err := os.Rename(tmpDir, dest); err != nil {
		if r.complete(k) { // another process stored it meanwhile
			return nil
		}
		return fmt.Errorf("store %s: %w", k, err)
	}
	if err := fsutil.FreezeDir(dest, fsutil.NotShared); err != nil {
		return fmt.Errorf("store %s: %w", k, err)
	}
	return nil
}

// Flush implements remote.Flusher: Store writes without an fsync per key,
// and one syncfs of the storage directory's file system makes everything
// stored since the last Flush durable.
func (r *Remote) Flush(ctx context.Context) error {
	if !r.unsynced.Swap(false) {
		return nil
	}
	if err := fsutil.SyncFS(r.dir); err != nil {
		r.unsynced.Store(true)
		return fmt.Errorf("make the content stored in %s durable: %w", r.dir, err)
	}
	return nil
}

// complete reports whether k's content is in place with the key's size
// (any size for keys without one).
func (r *Remote) complete(k key.Key) bool {
	fi, err := os.Stat(r.locations(k)[0])
	return err == nil && fi.Mode().IsRegular() && (!k.HasSize || fi.Size() == k.Size)
}

// Retrieve implements remote.Remote, resuming at dst.Offset().
func (r *Remote) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	p, err := r.find(k)
	if err != nil {
		return err
	}
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("retrieve %s: %w", k, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("retrieve %s: %w", k, err)
	}
	m.SetTotal(fi.Size())
	off := dst.Offset()
	if off > fi.Size() {
		if err := dst.Restart(); err != nil {
			return err
		}
		off = 0
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return fmt.Errorf("retrieve %s: %w", k, err)
	}
	if err := copyStream(ctx, dst, f, m); err != nil {
		return fmt.Errorf("retrieve %s from %s: %w", k, p, err)
	}
	return nil
}

// Remove implements remote.Remote: the key directory is made writable and
// removed (in both layouts). An absent key is not an error while the
// storage directory exists.
func (r *Remote) Remove(ctx context.Context, k key.Key) error {
	if err := r.checkDir(); err != nil {
		return err
	}
	unlock := r.locks.Lock(k)
	defer unlock()
	f := k.File()
	for _, d := range []string{r.keyDir(k), filepath.Join(r.dir, k.HashDirMixed(), f)} {
		if err := removeKeyDir(d); err != nil {
			return err
		}
	}
	return nil
}

// removeKeyDir thaws and removes a key directory; a missing one is fine.
func removeKeyDir(d string) error {
	if err := fsutil.ThawDir(d); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("remove %s: %w", d, err)
	}
	if err := os.RemoveAll(d); err != nil {
		return fmt.Errorf("remove %s: %w", d, err)
	}
	return nil
}

// Availability implements remote.Availabler: a directory is reachable from
// this machine only.
func (r *Remote) Availability() remote.Availability { return remote.LocallyAvailable }

// Type implements remote.InfoReporter.
func (r *Remote) Type() string { return "directory" }

// Info implements remote.InfoReporter with the line git-annex's info
// shows for directory remotes.
func (r *Remote) Info() []remote.InfoField {
	return []remote.InfoField{{Name: "directory", Value: r.dir}}
}

var (
	_ remote.Remote       = (*Remote)(nil)
	_ remote.Availabler   = (*Remote)(nil)
	_ remote.InfoReporter = (*Remote)(nil)
)
