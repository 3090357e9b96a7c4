package gitlocal

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// Config describes one local git remote.
type Config struct {
	// Name is the git remote name; UUID its annex-uuid.
	Name string
	UUID uuid.UUID
	// Cost is annex-cost, or remote.CheapCost.
	Cost float64
	// Location is the absolute path of the repository (its work tree top,
	// or the directory of a bare repository).
	Location string
	// ReadOnly is annex-readonly: Store and Remove fail with
	// remote.ErrReadOnly.
	ReadOnly bool
	// Open opens the peer repository at Location. The remote calls it at
	// most once, on first use, and keeps its result (error included) for
	// the rest of the command; the caller owns and closes the Peer.
	Open func(ctx context.Context) (Peer, error)
}

// Remote is a git-annex repository on a local path, reached through its
// Peer. It is safe for concurrent use.
type Remote struct {
	cfg Config

	mu     sync.Mutex
	opened bool
	peer   Peer
	err    error
}

// New returns the remote described by cfg. It does no I/O: the peer is
// opened on first use.
func New(cfg Config) *Remote { return &Remote{cfg: cfg} }

// Name implements remote.Remote.
func (r *Remote) Name() string { return r.cfg.Name }

// UUID implements remote.Remote.
func (r *Remote) UUID() uuid.UUID { return r.cfg.UUID }

// Cost implements remote.Remote.
func (r *Remote) Cost() float64 { return r.cfg.Cost }

// Location returns the repository's path.
func (r *Remote) Location() string { return r.cfg.Location }

// ReadOnly reports whether annex-readonly is set.
func (r *Remote) ReadOnly() bool { return r.cfg.ReadOnly }

// open returns the peer, opening it on first use. A missing repository
// gives an error wrapping remote.ErrUnavailable that names its path.
func (r *Remote) open(ctx context.Context) (Peer, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.opened {
		return r.peer, r.err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.opened = true
	if _, err := os.Stat(r.cfg.Location); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			err = remote.ErrUnavailable
		}
		r.err = fmt.Errorf("remote %s cannot currently be accessed: %s: %w (check the path with `git remote -v`)", r.cfg.Name, r.cfg.Location, err)
		return nil, r.err
	}
	p, err := r.cfg.Open(ctx)
	if err != nil {
		r.err = fmt.Errorf("remote %s: open %s: %w", r.cfg.Name, r.cfg.Location, err)
		return nil, r.err
	}
	r.peer = p
	return p, nil
}

// readOnly is the error of changing a read-only remote.
func (r *Remote) readOnly() error {
	return fmt.Errorf("remote %s: %w (annex-readonly is set; `git config --unset remote.%s.annex-readonly` allows changes)", r.cfg.Name, remote.ErrReadOnly, r.cfg.Name)
}

// Store implements remote.Remote: the content is ingested into the peer's
// object store, verified, and logged present in the peer.
func (r *Remote) Store(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	if r.cfg.ReadOnly {
		return r.readOnly()
	}
	p, err := r.open(ctx)
	if err != nil {
		return err
	}
	return p.PeerReceive(ctx, k, src, m)
}

// Retrieve implements remote.Remote, resuming at dst.Offset().
func (r *Remote) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	p, err := r.open(ctx)
	if err != nil {
		return err
	}
	return p.PeerSend(ctx, k, dst, m)
}

// CheckPresent implements remote.Remote.
func (r *Remote) CheckPresent(ctx context.Context, k key.Key) (bool, error) {
	p, err := r.open(ctx)
	if err != nil {
		return false, err
	}
	return p.PeerHasKey(ctx, k)
}

// Remove implements remote.Remote: the content is removed under the
// peer's removal lock and logged missing in the peer.
func (r *Remote) Remove(ctx context.Context, k key.Key) error {
	if r.cfg.ReadOnly {
		return r.readOnly()
	}
	p, err := r.open(ctx)
	if err != nil {
		return err
	}
	return p.PeerRemove(ctx, k)
}

// LockContent implements remote.ContentLocker with the peer's shared
// content lock, which git-annex's removal lock respects. It works on
// read-only remotes too: locking changes nothing.
func (r *Remote) LockContent(ctx context.Context, k key.Key) (func() error, error) {
	p, err := r.open(ctx)
	if err != nil {
		return nil, err
	}
	return p.PeerLockContent(ctx, k)
}

// Type implements remote.InfoReporter.
func (r *Remote) Type() string { return "git" }

// Info implements remote.InfoReporter with the line `git annex info`
// shows for git remotes.
func (r *Remote) Info() []remote.InfoField {
	return []remote.InfoField{{Name: "repository location", Value: r.cfg.Location}}
}

// Availability implements remote.Availabler: a repository on a local path
// is reachable from this machine only.
func (r *Remote) Availability() remote.Availability { return remote.LocallyAvailable }

var (
	_ remote.Remote        = (*Remote)(nil)
	_ remote.ContentLocker = (*Remote)(nil)
	_ remote.InfoReporter  = (*Remote)(nil)
	_ remote.Availabler    = (*Remote)(nil)
)
