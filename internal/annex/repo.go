// Package annex is the repository facade: it opens or initialises a
// git-annex v10 repository and offers its verbs (add, whereis, find, fsck,
// ...), each returning typed per-file results. It never prints; the cli
// layer renders results.
package annex

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/troveproject/trove/internal/annexbranch"
	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/clock"
	"github.com/troveproject/trove/internal/config"
	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/objectstore"
	"github.com/troveproject/trove/internal/uuid"
)

// Repo is an open git-annex repository. Close it to commit what the
// command changed in the git-annex branch. A Repo is safe for concurrent
// use by the goroutines of one command.
type Repo struct {
	git     *gitcmd.Repo
	cfg     *config.Config
	branch  *annexbranch.Branch
	objects *objectstore.Store
	here    uuid.UUID
	clock   clock.Clock
	paths   Paths

	repos   reposCache
	remotes remotesState   // git remotes and opened peers (remotes.go)
	xfer    transfersState // get/copy/move: engine, preferred content (transfers.go)
	drops   dropState      // drop's shared state (drop.go)

	mu      sync.Mutex
	changed bool                // the journal has changes to commit
	pending annexbranch.Changes // deferred "present" records, committed by Commit
}

// Options are the settings of one command's use of a repository.
type Options struct {
	// ConfigParams are -c name=value settings, applied to every git call.
	ConfigParams []string
	// Dir is the directory the command runs in ("" = the process's).
	Dir string
	// Clock stamps log entries; nil means the system clock (which honours
	// GIT_ANNEX_VECTOR_CLOCK).
	Clock clock.Clock

	// peer is set when the repository is opened as a local git remote of
	// another: like git-annex, its git-annex branch is not merged with its
	// own remotes' branches.
	peer bool
}

// ErrNotInitialized is returned by Open for a git repository that git-annex
// has not been initialised in.
var ErrNotInitialized = errors.New("not a git-annex repository")

// NotInitializedError names the repository and the command that fixes it.
type NotInitializedError struct{ Top string }

func (e *NotInitializedError) Error() string {
	return fmt.Sprintf("%s is not a git-annex repository yet: run `git annex init` first", e.Top)
}

// Is makes errors.Is(err, ErrNotInitialized) true.
func (e *NotInitializedError) Is(target error) bool { return target == ErrNotInitialized }

// Open opens the git-annex repository containing opts.Dir. Like git-annex,
// it initialises a clone automatically when a git-annex branch exists (in
// it or a remote) but this repository has no annex yet.
func Open(ctx context.Context, opts Options) (*Repo, error) {
	r, err := openOrInit(ctx, opts)
	if err == nil && opts.peer {
		if err = r.settleAsPeer(ctx); err != nil {
			r.Close()
			return nil, err
		}
	}
	return r, err
}

func openOrInit(ctx context.Context, opts Options) (*Repo, error) {
	dir := opts.Dir
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		dir = wd
	}
	g, err := gitcmd.Discover(ctx, dir)
	if err != nil {
		return nil, err
	}
	g = g.WithConfig(opts.ConfigParams...)
	gc, err := g.ReadConfig(ctx)
	if err != nil {
		return nil, err
	}
	cfg := config.New(gc)
	if cfg.UUID.IsZero() || !cfg.HasVersion {
		auto, err := canAutoInit(ctx, g)
		if err != nil {
			return nil, err
		}
		if !auto {
			top := g.Top
			if top == "" {
				top = g.GitDir
			}
			return nil, &NotInitializedError{Top: top}
		}
		return Init(ctx, dir, InitOptions{ConfigParams: opts.ConfigParams, Dir: opts.Dir, Clock: opts.Clock, auto: true, peer: opts.peer})
	}
	return open(ctx, g, cfg, opts)
}

// canAutoInit reports whether git-annex would initialise this repository
// on its own: some git-annex branch exists and there is no annex yet.
func canAutoInit(ctx context.Context, g *gitcmd.Repo) (bool, error) {
	if _, err := os.Stat(filepath.Join(annexDir(g), "objects")); err == nil {
		return false, nil
	}
	refs, err := g.ShowRef(ctx, "git-annex")
	if err != nil {
		return false, nil
	}
	return len(refs) > 0, nil
}

func open(ctx context.Context, g *gitcmd.Repo, cfg *config.Config, opts Options) (*Repo, error) {
	clk := opts.Clock
	if clk == nil {
		clk = clock.System()
	}
	shared, err := fsutil.ParseShared(cfg.SharedRepository)
	if err != nil {
		shared = 0
	}
	store := objectstore.Open(annexDir(g), objectstore.Options{
		Bare:            g.Bare,
		ObjectHashLower: cfg.ObjectHashLower,
		OneLevel:        cfg.ObjectHash1,
		Thin:            cfg.Thin,
		Shared:          shared,
	})
	r := &Repo{
		git:     g,
		cfg:     cfg,
		branch:  annexbranch.Open(g, cfg),
		objects: store,
		here:    cfg.UUID,
		clock:   clk,
	}
	top := g.Top
	if top == "" {
		top = g.GitDir
	}
	r.paths, err = CurrentPaths(top, opts.Dir)
	if err != nil {
		return nil, err
	}
	if err := r.ensureBranch(ctx, !opts.peer); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// ensureBranch creates the git-annex branch when missing and merges the
// sibling git-annex branches of remotes, as every git-annex command does
// before reading the branch.
func (r *Repo) ensureBranch(ctx context.Context, merge bool) error {
	if err := r.branch.Create(ctx); err != nil {
		return err
	}
	if merge && r.cfg.MergeAnnexBranches {
		if _, err := r.branch.Update(ctx); err != nil {
			return err
		}
	}
	return nil
}

// UUID returns the repository's UUID.
func (r *Repo) UUID() uuid.UUID { return r.here }

// Paths returns the path converter of the command.
func (r *Repo) Paths() Paths { return r.paths }

// Git returns the repository's git runner.
func (r *Repo) Git() *gitcmd.Repo { return r.git }

// Config returns the repository's typed settings.
func (r *Repo) Config() *config.Config { return r.cfg }

// Commit records the journalled changes in the git-annex branch, after
// refreshing git's index for the unlocked files drops turned back into
// pointer files. It reports whether there was anything to record (as
// git-annex, which says "recording state in git" for either).
func (r *Repo) Commit(ctx context.Context) (bool, error) {
	restaged, err := r.RestageDepopulated(ctx)
	if err != nil {
		return false, err
	}
	made, err := r.commitBranch(ctx)
	return made || restaged, err
}

// commitBranch records the journalled changes in the git-annex branch. It
// reports whether there was anything to commit.
func (r *Repo) commitBranch(ctx context.Context) (bool, error) {
	if err := r.syncObjects(ctx); err != nil {
		return false, err
	}
	r.mu.Lock()
	changed, pending := r.changed, r.pending
	r.changed, r.pending = false, nil
	r.mu.Unlock()
	if len(pending) > 0 {
		// Deferred records are committed even with annex.alwayscommit=false:
		// they exist nowhere else.
		made, err := r.branch.CommitChangesMade(ctx, pending, r.cfg.CommitMessage)
		if err != nil {
			return false, fmt.Errorf("record state in git: %w", err)
		}
		return made, nil
	}
	if !changed || !r.cfg.AlwaysCommit {
		return false, nil
	}
	if dirty, err := r.branch.JournalDirty(); err == nil && !dirty {
		return false, nil // only private records: nothing to commit
	}
	if err := r.branch.Commit(ctx, r.cfg.CommitMessage); err != nil {
		return false, fmt.Errorf("record state in git: %w", err)
	}
	return true, nil
}

// Close stops the repository's git processes. Changes not committed stay
// in the journal, where the next command (or git-annex) commits them.
// Repositories opened as local git remotes are committed and closed.
func (r *Repo) Close() error {
	return errors.Join(r.drops.close(), r.closeRemotes(), r.branch.Close(), r.objects.Close())
}

// now returns the current timestamp for log entries.
func (r *Repo) now() logs.Timestamp { return logs.FromTime(r.clock.Now()) }

// changeBranch applies f to a branch file and remembers that a commit is due.
func (r *Repo) changeBranch(ctx context.Context, path string, f func(old []byte) []byte) error {
	if err := r.branch.Change(ctx, path, f); err != nil {
		return err
	}
	r.mu.Lock()
	r.changed = true
	r.mu.Unlock()
	return nil
}

// logPresent records in the location log that this repository has k.
// The record is deferred to Commit (one commit, no journal file per key):
// if the command dies first, the content is still in the object store and
// `git annex fsck` records it again, so nothing is lost. Records that
// content is gone are never deferred (see logLocation).
func (r *Repo) logPresent(_ context.Context, k key.Key) error {
	r.logPresentAt(k, r.here)
	return nil
}

// logLocation records status st of k in repository u, through the
// journal. Records of the same log still deferred to Commit are applied
// first, so that a later record never loses to an earlier deferred one
// (a PUT then a REMOVE in one session must end "missing").
func (r *Repo) logLocation(ctx context.Context, k key.Key, u uuid.UUID, st logs.Status) error {
	p := logs.LocationLogPath(k, r.cfg.BranchHash1)
	now := r.now()
	r.mu.Lock()
	earlier := r.pending[p]
	delete(r.pending, p)
	r.mu.Unlock()
	return r.changeBranch(ctx, p, func(old []byte) []byte {
		for _, f := range earlier {
			old = f(old)
		}
		out, changed := logs.AddLocation(old, u, st, now)
		if !changed {
			return old
		}
		return out
	})
}

// backendFor returns the backend named, or the configured one.
func (r *Repo) backendFor(name string) (*backend.Backend, error) {
	if name == "" {
		name = r.cfg.Backend
	}
	return backend.Lookup(name)
}

// maxExtLen is annex.maxextensionlength.
func (r *Repo) maxExtLen() int { return r.cfg.MaxExtensionLength }
