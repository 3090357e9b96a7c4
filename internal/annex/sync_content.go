package annex

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/policy"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/transfer"
	"github.com/troveproject/trove/internal/uuid"
)

// SyncTransfers carries out, and reports, the content actions that
// `sync --content` decides on. Its methods are called from up to
// SyncOptions.Jobs goroutines at once, each on a different item, and
// must be safe for that.
type SyncTransfers interface {
	// Get makes it's content present here from one of from (which have
	// it according to the location log, cheapest first) and reports
	// whether it succeeded.
	Get(ctx context.Context, it Item, from []remote.Remote) bool
	// Send stores it's content on rm and reports whether rm has it now.
	Send(ctx context.Context, it Item, rm remote.Remote) bool
	// Drop drops it's content from rm, or from here when rm is nil, with
	// DropLocal's or DropFrom's safety checks under opts, and reports
	// whether it acted on the item (attempted a drop that may have been
	// refused); sync then counts the copy as gone, which only makes it
	// more careful.
	Drop(ctx context.Context, it Item, rm remote.Remote, opts DropOptions) bool
}

// syncContent is step 5 of git-annex's sync (internals §11.3): for every
// annexed file (every key with All) against every content remote, get
// what is wanted here, send what each remote wants, drop what is not
// wanted where enough copies remain. It reports whether any content was
// transferred (git-annex then pulls and commits the git-annex branch
// again before pushing).
func (s *syncRun) syncContent(ctx context.Context) (bool, error) {
	rs, err := s.contentRemotes(ctx)
	if err == nil {
		rs, err = s.syncExports(ctx, rs)
	}
	if err != nil || len(rs) == 0 {
		return false, err
	}
	c := &contentSync{r: s.r, opts: s.opts, rs: rs, xfer: s.opts.Transfers}
	if c.xfer == nil {
		c.xfer = quietTransfers{r: s.r}
	}
	if c.known, err = s.r.Remotes(ctx); err != nil {
		return false, err
	}
	if s.opts.All {
		err = c.seekAll(ctx)
	} else {
		err = c.seek(ctx, SeekOptions{Inputs: s.opts.ContentOf}, nil)
	}
	if ferr := s.r.FinishTransfers(context.WithoutCancel(ctx)); err == nil {
		err = ferr
	}
	return c.changed, err
}

// contentRemotes are the remotes sync moves content to and from: the
// usable remotes (r.Remotes: annex-ignore and remotes without a UUID left
// out) among the git and special remotes sync works with, in cost order.
func (s *syncRun) contentRemotes(ctx context.Context) ([]remote.Remote, error) {
	usable, err := s.r.Remotes(ctx)
	if err != nil {
		return nil, err
	}
	var out []remote.Remote
	for _, rm := range usable {
		if slices.ContainsFunc(s.remotes, func(sr syncRemote) bool { return sr.Name == rm.Name() }) || slices.Contains(s.specials, rm.Name()) {
			out = append(out, rm)
		}
	}
	return out, nil
}

// contentSync is the state of one content pass.
type contentSync struct {
	r     *Repo
	opts  SyncOptions
	rs    []remote.Remote // content remotes, cost order
	known []remote.Remote // every usable remote (git-annex's keyPossibilities)
	xfer  SyncTransfers

	mu      sync.Mutex
	changed bool
}

// seekAll is --all: with preferred content configured, the work tree
// first (so expressions can match file names), then every key, leaving
// the keys already seen alone when it comes to dropping; without, every
// key.
func (c *contentSync) seekAll(ctx context.Context) error {
	configured, err := c.r.preferredConfigured(ctx)
	if err != nil {
		return err
	}
	var seen *seenKeys
	if configured {
		seen = &seenKeys{m: map[string]bool{}}
		if err := c.seek(ctx, SeekOptions{}, seen); err != nil {
			return err
		}
	}
	return c.seek(ctx, SeekOptions{All: true}, seen)
}

// seenKeys is the keys the work-tree pass of --all saw (git-annex uses a
// bloom filter; an exact set never keeps a key by mistake).
type seenKeys struct {
	mu sync.Mutex
	m  map[string]bool
}

func (s *seenKeys) add(k key.Key) {
	s.mu.Lock()
	s.m[k.String()] = true
	s.mu.Unlock()
}

func (s *seenKeys) has(k key.Key) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[k.String()]
}

// seek runs syncItem over what so selects, opts.Jobs items at once. In the
// work-tree pass of --all, seen collects the keys; in the key pass, keys
// in seen are not dropped.
func (c *contentSync) seek(ctx context.Context, so SeekOptions, seen *seenKeys) error {
	so.CopiesAttrs = true // every item may be dropped (dropUnwanted)
	var seekErr error
	items := iter.Seq[Item](func(yield func(Item) bool) {
		seekErr = c.r.Seek(ctx, so, func(it Item) error {
			if !yield(it) {
				return errStopSyncSeek
			}
			return nil
		})
	})
	var (
		errMu   sync.Mutex
		itemErr error
	)
	perr := transfer.Parallel(ctx, c.opts.Jobs, items, func(ctx context.Context, it Item) {
		drop := true
		if seen != nil {
			if so.All {
				drop = !seen.has(it.Key)
			} else {
				seen.add(it.Key)
			}
		}
		if err := c.syncItem(ctx, it, drop); err != nil {
			errMu.Lock()
			itemErr = cmpOrErr(itemErr, err)
			errMu.Unlock()
		}
	})
	switch {
	case seekErr != nil && !errors.Is(seekErr, errStopSyncSeek):
		return seekErr
	case itemErr != nil:
		return itemErr
	}
	return perr
}

// errStopSyncSeek ends a Seek whose consumer stopped.
var errStopSyncSeek = errors.New("stop seeking")

// cmpOrErr keeps the first error.
func cmpOrErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// syncItem is git-annex's syncFile: get, send, then drop what is not
// wanted. An error means the repository could not be read; failed
// transfers are reported by the SyncTransfers and do not stop the sync.
func (c *contentSync) syncItem(ctx context.Context, it Item, drops bool) error {
	r := c.r
	if !it.hasLocationLog {
		data, err := r.branch.Get(ctx, logs.LocationLogPath(it.Key, r.cfg.BranchHash1))
		if err != nil {
			return fmt.Errorf("location log of %s: %w", it.describe(), err)
		}
		it.locationLog, it.hasLocationLog = data, true
	}
	inhere, err := r.objects.Has(it.Key)
	if err != nil {
		return err
	}
	locs, err := c.remoteLocations(ctx, it)
	if err != nil {
		return err
	}
	var have, lack []remote.Remote
	for _, rm := range c.rs {
		if slices.Contains(locs, rm.UUID()) {
			have = append(have, rm)
		} else {
			lack = append(lack, rm)
		}
	}
	got := false
	if !c.opts.NoGet && len(have) > 0 && !inhere {
		want, err := r.wants(ctx, r.here, it, true)
		if err != nil {
			return err
		}
		if want && c.xfer.Get(ctx, it, have) {
			got = true
			it.noteLocation(r, r.here, logs.Present)
		}
	}
	var put []uuid.UUID
	if (inhere || got) && !c.opts.NoSend {
		for _, rm := range lack {
			if isReadOnly(rm) {
				continue
			}
			want, err := r.wants(ctx, rm.UUID(), it, true)
			if err != nil {
				return err
			}
			if want && c.xfer.Send(ctx, it, rm) {
				put = append(put, rm.UUID())
				it.noteLocation(r, rm.UUID(), logs.Present)
			}
		}
	}
	if got || len(put) > 0 {
		c.mu.Lock()
		c.changed = true
		c.mu.Unlock()
	}
	if !drops {
		return nil
	}
	var here []uuid.UUID
	if inhere || got {
		here = []uuid.UUID{r.here}
	}
	return c.dropUnwanted(ctx, it, slices.Concat(here, put, locs))
}

// remoteLocations are the usable remotes (not only the content remotes)
// that the item's location log lists, dead ones left out: git-annex's
// keyPossibilities.
func (c *contentSync) remoteLocations(ctx context.Context, it Item) ([]uuid.UUID, error) {
	logged, err := c.r.ItemLocations(ctx, it)
	if err != nil {
		return nil, fmt.Errorf("location log of %s: %w", it.describe(), err)
	}
	repos, err := c.r.Repos(ctx)
	if err != nil {
		return nil, err
	}
	var out []uuid.UUID
	for _, rm := range c.known {
		if slices.Contains(logged, rm.UUID()) && repos.Get(rm.UUID()).Trust != policy.Dead {
			out = append(out, rm.UUID())
		}
	}
	return out, nil
}

// dropUnwanted is git-annex's handleDropsFrom with reason "unwanted":
// locs are the repositories known to have the content now (here first
// when it is here). Remotes are tried in cost order while more than
// numcopies (and mincopies) copies would remain; here last, when that
// held before any remote was dropped from. Only repositories whose
// preferred content is set and does not want the item are dropped from;
// DropLocal and DropFrom verify the copies.
func (c *contentSync) dropUnwanted(ctx context.Context, it Item, locs []uuid.UUID) error {
	r := c.r
	d, err := r.dropper(ctx)
	if err != nil {
		return err
	}
	num, minc, err := d.copiesFor(ctx, it, DropOptions{NumCopies: c.opts.NumCopies, MinCopies: c.opts.MinCopies})
	if err != nil {
		return err
	}
	untrusted := map[uuid.UUID]bool{}
	have := 0
	for _, u := range locs {
		if d.repos.Get(u).Trust == policy.UnTrusted {
			untrusted[u] = true
		} else {
			have++
		}
	}
	enough := func(fromUntrusted bool) bool {
		if fromUntrusted {
			return have >= num && have >= minc
		}
		return have > num && have > minc
	}
	hereOK := len(locs) > 0 && locs[0] == r.here && enough(false)
	opts := DropOptions{NumCopies: c.opts.NumCopies, MinCopies: c.opts.MinCopies}
	for _, rm := range c.rs {
		u := rm.UUID()
		if !slices.Contains(locs, u) {
			continue
		}
		if !enough(untrusted[u]) {
			break
		}
		want, err := r.wants(ctx, u, it, true)
		if err != nil {
			return err
		}
		if want || !c.xfer.Drop(ctx, it, rm, opts) {
			continue
		}
		it.noteLocation(r, u, logs.Missing)
		if !untrusted[u] {
			have--
		}
	}
	if !hereOK {
		return nil
	}
	want, err := r.wants(ctx, r.here, it, true)
	if err != nil || want {
		return err
	}
	if ok, err := r.objects.Has(it.Key); err != nil || !ok {
		return err
	}
	c.xfer.Drop(ctx, it, nil, opts)
	return nil
}

// noteLocation updates the item's copy of its location log after sync
// changed where the content is, so that later decisions and drop
// verification about the item see it.
func (it *Item) noteLocation(r *Repo, u uuid.UUID, st logs.Status) {
	if out, changed := logs.AddLocation(it.locationLog, u, st, r.now()); changed {
		it.locationLog = out
	}
}

// isReadOnly reports whether rm refuses stores (annex-readonly).
func isReadOnly(rm remote.Remote) bool {
	ro, ok := rm.(interface{ ReadOnly() bool })
	return ok && ro.ReadOnly()
}

// preferredConfigured reports whether any repository has a
// preferred-content expression.
func (r *Repo) preferredConfigured(ctx context.Context) (bool, error) {
	if _, err := r.preferred(ctx, r.here); err != nil {
		return false, err
	}
	return len(r.xfer.pref) > 0, nil
}

// quietTransfers is the SyncTransfers used when the caller gives none:
// the transfers and drops happen, nothing is reported.
type quietTransfers struct{ r *Repo }

func (q quietTransfers) Get(ctx context.Context, it Item, from []remote.Remote) bool {
	for _, rm := range from {
		if _, err := q.r.Get(ctx, it, GetOptions{From: rm}, progress.Discard); err == nil {
			return true
		}
	}
	return false
}

func (q quietTransfers) Send(ctx context.Context, it Item, rm remote.Remote) bool {
	_, err := q.r.CopyTo(ctx, it, rm, progress.Discard)
	return err == nil
}

func (q quietTransfers) Drop(ctx context.Context, it Item, rm remote.Remote, opts DropOptions) bool {
	var err error
	if rm == nil {
		_, err = q.r.DropLocal(ctx, it, opts)
	} else {
		_, err = q.r.DropFrom(ctx, it, rm, opts)
	}
	return err == nil
}
