package annex

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/objectstore"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/gitlocal"
)

// The Peer methods are what another repository does in this one when this
// one is its local git remote (internal/remote/gitlocal), as git-annex does
// in process for remotes on local paths. Each keeps this repository's own
// location log up to date; the records are committed by Commit (the
// repository that opened this one as a peer commits it when it closes).

// settleAsPeer commits, as soon as this repository is opened as another's
// local git remote, what is in its journal: what opening it wrote (its
// UUID and description when it was initialised automatically) and what
// earlier commands left. Otherwise a journal file written now and
// committed when the peer closes would replace, in the branch, whatever a
// push into this repository brings meanwhile (sync pushes before it
// closes its peers).
func (r *Repo) settleAsPeer(ctx context.Context) error {
	if err := r.branch.Commit(ctx, r.cfg.CommitMessage); err != nil {
		return fmt.Errorf("record state in %s: %w", r.paths.Top, err)
	}
	return nil
}

// PeerHasKey reports whether this repository holds k's content, in either
// hash-directory layout. The error is non-nil only when presence cannot be
// determined.
func (r *Repo) PeerHasKey(ctx context.Context, k key.Key) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	ok, err := r.objects.Has(k)
	if err != nil {
		return false, fmt.Errorf("check %s in %s: %w", k, r.paths.Top, err)
	}
	return ok, nil
}

// PeerLockContent takes a shared content lock on k (git-annex's
// lockContentShared, which its lockContentForRemoval respects) and returns
// the function that releases it. Absent content gives an error wrapping
// remote.ErrNotPresent, content being removed one wrapping remote.ErrLocked.
func (r *Repo) PeerLockContent(ctx context.Context, k key.Key) (func() error, error) {
	l, err := r.objects.LockShared(ctx, k)
	if err != nil {
		return nil, r.peerLockError(k, err)
	}
	return l.Release, nil
}

// peerLockError maps the object store's lock errors to the remote kinds.
func (r *Repo) peerLockError(k key.Key, err error) error {
	switch {
	case errors.Is(err, objectstore.ErrNotPresent):
		return fmt.Errorf("%s in %s: %w", k, r.paths.Top, remote.ErrNotPresent)
	case errors.Is(err, objectstore.ErrContentLocked):
		return fmt.Errorf("%s in %s: %w", k, r.paths.Top, remote.ErrLocked)
	}
	return fmt.Errorf("lock %s in %s: %w", k, r.paths.Top, err)
}

// PeerReceive stores the content of src as k, verifying it while it is
// written (a mismatch is an *objectstore.BadContentError and leaves
// nothing behind), and records k present here. Data left in the tmp file
// by an interrupted receive is kept and only the rest is copied; if the
// result does not verify, the whole content is copied once more. Content
// already present is success and is not read again. Receives of one key
// are serialised within the process. The object is not fsynced one by
// one: Commit (of this repository, or of the one that opened it as a peer,
// whichever comes first) makes all of them durable with one syncfs before
// any location log records them.
func (r *Repo) PeerReceive(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	unlock := r.remotes.lockReceive(k)
	defer unlock()
	if ok, err := r.PeerHasKey(ctx, k); err != nil || ok {
		return err
	}
	// Like git-annex, the receiving repository keeps its own
	// annex.diskreserve, which the sender's --force does not override.
	if err := r.Transfers().CheckSpace(k); err != nil {
		return fmt.Errorf("send %s to %s: %w", k, r.paths.Top, err)
	}
	f, err := src.Open()
	if err != nil {
		return fmt.Errorf("send %s to %s: %w", k, r.paths.Top, err)
	}
	defer f.Close()
	resumed, err := r.receive(ctx, k, f, m)
	if resumed && errors.Is(err, objectstore.ErrBadContent) {
		_, err = r.receive(ctx, k, f, m)
	}
	if err != nil {
		return fmt.Errorf("send %s to %s: %w", k, r.paths.Top, err)
	}
	return r.logPresent(ctx, k)
}

// receive copies f into k's partial file from the offset it already has,
// and commits it without fsync (see syncObjects). It reports whether it
// resumed from a non-empty partial.
func (r *Repo) receive(ctx context.Context, k key.Key, f io.ReadSeeker, m progress.Meter) (resumed bool, err error) {
	p, err := r.objects.OpenPartial(ctx, k)
	if err != nil {
		return false, err
	}
	defer p.Close()
	off := p.Offset()
	if size, err := f.Seek(0, io.SeekEnd); err == nil {
		m.SetTotal(size)
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return false, err
	}
	if off > 0 {
		m.Add(off)
	}
	if _, err := copyContent(ctx, p, f, m); err != nil {
		return off > 0, err
	}
	r.xfer.unsynced.Store(true)
	return off > 0, p.CommitNoSync(ctx)
}

// PeerSend writes k's content into dst from dst.Offset() on (all of it
// after dst.Restart() when the offset is past the end). Absent content
// gives an error wrapping remote.ErrNotPresent. Like git-annex reading
// from a repository on a local path, it takes no content lock: the
// receiving side verifies what it gets, and content dropped while it is
// read stays readable through the open file.
func (r *Repo) PeerSend(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	f, size, err := r.objects.OpenObject(k)
	if errors.Is(err, objectstore.ErrNotPresent) {
		return fmt.Errorf("%s in %s: %w", k, r.paths.Top, remote.ErrNotPresent)
	}
	if err != nil {
		return fmt.Errorf("get %s from %s: %w", k, r.paths.Top, err)
	}
	defer f.Close()
	off := dst.Offset()
	if off > size {
		if err := dst.Restart(); err != nil {
			return fmt.Errorf("get %s from %s: restart: %w", k, r.paths.Top, err)
		}
		off = 0
	}
	if off > 0 {
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			return fmt.Errorf("get %s from %s: %w", k, f.Name(), err)
		}
	}
	m.SetTotal(size)
	if off > 0 {
		m.Add(off)
	}
	if _, err := copyContent(ctx, dst, f, m); err != nil {
		return fmt.Errorf("get %s from %s: %w", k, r.paths.Top, err)
	}
	return nil
}

// copyContent copies src to dst, counting the bytes on m and stopping
// between reads when ctx is done (fsutil.CopyStream).
func copyContent(ctx context.Context, dst io.Writer, src io.Reader, m progress.Meter) (int64, error) {
	return fsutil.CopyStream(ctx, dst, progress.Reader{R: src, M: m})
}

// PeerRemove removes k's content under the removal lock and records it
// missing here. Absent content is not an error; content locked by another
// process (a drop elsewhere counting on this copy) gives an error wrapping
// remote.ErrLocked.
func (r *Repo) PeerRemove(ctx context.Context, k key.Key) error {
	if err := r.objects.Drop(ctx, k); err != nil {
		if errors.Is(err, objectstore.ErrContentLocked) {
			return fmt.Errorf("remove %s from %s: %w", k, r.paths.Top, remote.ErrLocked)
		}
		return fmt.Errorf("remove %s from %s: %w", k, r.paths.Top, err)
	}
	return r.logLocation(ctx, k, r.here, logs.Missing)
}

var _ gitlocal.Peer = (*Repo)(nil)
