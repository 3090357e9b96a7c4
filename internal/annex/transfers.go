package annex

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/policy"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/transfer"
	"github.com/troveproject/trove/internal/uuid"
)

// transfersState is what the transfer verbs (get, copy, move) share in one
// Repo: the engine, preferred-content expressions and the unlocked files
// populated and not yet refreshed in git's index.
type transfersState struct {
	once   sync.Once
	engine *transfer.Engine

	prefOnce sync.Once
	pref     map[uuid.UUID]*policy.Expr
	prefErr  error

	mu        sync.Mutex
	populated []string

	// unsynced is set when PeerReceive committed objects without fsync.
	unsynced atomic.Bool

	// serialAbove is SerializeTransfers's cost; 0 when not called.
	serialAbove float64
	// ignoreSpace is set by IgnoreDiskReserve.
	ignoreSpace bool
}

// SerializeTransfers makes transfers with remotes costlier than cost run
// one at a time, however many goroutines transfer at once. It takes
// effect only when called before the first transfer (Transfers).
func (r *Repo) SerializeTransfers(cost float64) { r.xfer.serialAbove = cost }

// IgnoreDiskReserve makes downloads skip the check that they leave
// annex.diskreserve free (--force). It takes effect only when called
// before the first transfer (Transfers).
func (r *Repo) IgnoreDiskReserve() { r.xfer.ignoreSpace = true }

// Transfers returns the repository's transfer engine, created on first
// use with annex.retry, annex.retry-delay and annex.stalldetection. It is
// safe for concurrent use. Downloads are made durable in one go by
// FinishTransfers, before Commit records them.
func (r *Repo) Transfers() *transfer.Engine {
	r.xfer.once.Do(func() {
		opts, err := transfer.OptionsFromConfig(r.cfg)
		if err != nil {
			// A malformed annex.stalldetection: transfer without it, as
			// the other settings still apply.
			opts.Stall = transfer.StallDetection{}
			r.warn("%v", err)
		}
		opts.AnnexDir = annexDir(r.git)
		opts.Here = r.here
		opts.Clock = r.clock
		opts.DeferSync = true
		opts.IgnoreSpace = r.xfer.ignoreSpace
		if above := r.xfer.serialAbove; above > 0 {
			opts.Serial = func(rm remote.Remote) bool { return rm.Cost() > above }
		}
		if shared, err := fsutil.ParseShared(r.cfg.SharedRepository); err == nil {
			opts.Shared = shared
		}
		r.xfer.engine = transfer.New(r.objects, opts)
	})
	return r.xfer.engine
}

// logPresentAt records in the location log that repository u has k,
// deferred to Commit like logPresent.
func (r *Repo) logPresentAt(k key.Key, u uuid.UUID) { r.deferLocation(k, u, logs.Present) }

// deferLocation records status st of k in repository u in the location
// log at Commit, with the other deferred records in one commit (no journal
// file per key). Records are applied in the order they were made.
func (r *Repo) deferLocation(k key.Key, u uuid.UUID, st logs.Status) {
	p := logs.LocationLogPath(k, r.cfg.BranchHash1)
	now := r.now()
	r.deferChange(p, func(old []byte) []byte {
		out, changed := logs.AddLocation(old, u, st, now)
		if !changed {
			return old
		}
		return out
	})
}

// preferred returns the preferred-content expression of u, or nil when
// none is set. An expression that does not parse matches what u has, as
// in git-annex.
func (r *Repo) preferred(ctx context.Context, u uuid.UUID) (*policy.Expr, error) {
	r.xfer.prefOnce.Do(func() { r.xfer.pref, r.xfer.prefErr = r.loadPreferred(ctx) })
	return r.xfer.pref[u], r.xfer.prefErr
}

func (r *Repo) loadPreferred(ctx context.Context) (map[uuid.UUID]*policy.Expr, error) {
	data, err := r.branch.Get(ctx, logs.PreferredContentLog)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", logs.PreferredContentLog, err)
	}
	gdata, err := r.branch.Get(ctx, logs.GroupLog)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", logs.GroupLog, err)
	}
	gwdata, err := r.branch.Get(ctx, logs.GroupPreferredContentLog)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", logs.GroupPreferredContentLog, err)
	}
	groups := logs.ParseGroupLog(gdata)
	groupWanted := map[string]string{}
	for g, e := range logs.ParseMapLog(gwdata) {
		groupWanted[g] = e.Value
	}
	out := map[uuid.UUID]*policy.Expr{}
	for u, e := range logs.ParseUUIDLog(data) {
		info := policy.RepoInfo{UUID: u, Groups: groups[u].Value, GroupWanted: groupWanted}
		x, err := policy.ParsePreferred(e.Value, info)
		if err != nil {
			x = policy.Unparseable(u)
		}
		out[u] = x
	}
	return out, nil
}

// itemSubject is an Item as a policy.Subject.
type itemSubject struct{ it Item }

func (s itemSubject) Path() (string, bool) { return s.it.File, s.it.File != "" }
func (s itemSubject) Size() (int64, bool)  { return s.it.Key.Size, s.it.Key.HasSize }
func (s itemSubject) Key() (key.Key, bool) { return s.it.Key, true }
func (s itemSubject) Locked() (bool, bool) { return !s.it.Unlocked, s.it.File != "" }

// wants reports whether u's preferred content includes it; without an
// expression the answer is def, as git-annex's isPreferredContent.
func (r *Repo) wants(ctx context.Context, u uuid.UUID, it Item, def bool) (bool, error) {
	x, err := r.preferred(ctx, u)
	if err != nil || x == nil {
		return def, err
	}
	env, err := r.queryEnv(ctx)
	if err != nil {
		return false, err
	}
	return x.Match(ctx, env, itemSubject{it})
}

// lacksCopies reports whether it has fewer copies (location log, dead and
// untrusted repositories left out) than numcopies; numCopies > 0
// overrides the configured value.
func (r *Repo) lacksCopies(ctx context.Context, it Item, numCopies int) (bool, error) {
	need := numCopies
	if need <= 0 {
		nc, err := r.NumCopies(ctx)
		if err != nil {
			return false, err
		}
		need = int(nc)
	}
	locs, err := r.ItemLocations(ctx, it)
	if err != nil {
		return false, err
	}
	rs, err := r.Repos(ctx)
	if err != nil {
		return false, err
	}
	slices.Sort(locs)
	n := 0
	for _, u := range slices.Compact(locs) {
		if t := rs.Get(u).Trust; t != policy.Dead && t != policy.UnTrusted {
			n++
		}
	}
	return n < need, nil
}

// WantGet is get --auto's rule (git-annex's Command.Get): the item is
// fetched when it has fewer copies than numcopies, or when this
// repository's preferred content wants it. numCopies > 0 overrides
// the configured numcopies.
func (r *Repo) WantGet(ctx context.Context, it Item, numCopies int) (bool, error) {
	if lack, err := r.lacksCopies(ctx, it, numCopies); err != nil || lack {
		return lack, err
	}
	return r.wants(ctx, r.here, it, false)
}

// WantSend is copy --to --auto's rule: the item is sent when rm's
// preferred content wants it, or when it has fewer copies than numcopies.
func (r *Repo) WantSend(ctx context.Context, it Item, rm remote.Remote, numCopies int) (bool, error) {
	if ok, err := r.wants(ctx, rm.UUID(), it, false); err != nil || ok {
		return ok, err
	}
	return r.lacksCopies(ctx, it, numCopies)
}

// notePopulated remembers an unlocked file whose content was written, so
// FinishTransfers refreshes it in git's index.
func (r *Repo) notePopulated(path string) {
	r.xfer.mu.Lock()
	r.xfer.populated = append(r.xfer.populated, path)
	r.xfer.mu.Unlock()
}

// FinishTransfers makes downloaded content durable (one syncfs) and
// refreshes git's index for the unlocked files that get,
// copy --from and move --from filled with content, so that `git status`
// shows them unmodified. Call it once when a command's transfers are done;
// it is idempotent.
func (r *Repo) FinishTransfers(ctx context.Context) error {
	if err := r.syncObjects(ctx); err != nil {
		return err
	}
	r.xfer.mu.Lock()
	paths := r.xfer.populated
	r.xfer.populated = nil
	r.xfer.mu.Unlock()
	if len(paths) == 0 {
		return nil
	}
	return r.refreshIndex(ctx, paths)
}

// syncObjects makes durable, with one syncfs per repository, the objects
// committed without fsync: downloads of the engine (Options.DeferSync),
// and what this repository and the peers it opened received through
// PeerReceive. Commit calls it before recording anything, so no location
// log (here or in a peer) claims content a power failure could lose. It
// does nothing when nothing is pending; safe for concurrent use.
func (r *Repo) syncObjects(ctx context.Context) error {
	if r.xfer.engine != nil {
		if err := r.xfer.engine.Sync(ctx); err != nil {
			return fmt.Errorf("make the downloaded content durable: %w", err)
		}
	}
	if r.xfer.unsynced.Swap(false) {
		if err := r.objects.SyncFS(); err != nil {
			r.xfer.unsynced.Store(true)
			return fmt.Errorf("make the content received in %s durable: %w", r.paths.Top, err)
		}
	}
	r.remotes.mu.Lock()
	peers := slices.Clone(r.remotes.peers)
	r.remotes.mu.Unlock()
	for _, p := range peers {
		if err := p.syncObjects(ctx); err != nil {
			return err
		}
	}
	// Special remotes that store without an fsync per key (the directory
	// remote) are flushed once; only remotes already opened can have
	// stored anything.
	for _, rm := range r.openedRemotes() {
		if err := remote.Flush(ctx, rm); err != nil {
			return err
		}
	}
	return nil
}

// openedRemotes returns the remotes Remotes has opened so far, without
// opening any.
func (r *Repo) openedRemotes() []remote.Remote {
	if !r.remotes.loaded.Load() {
		return nil
	}
	return r.remotes.list
}
