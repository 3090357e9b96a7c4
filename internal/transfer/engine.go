package transfer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/troveproject/trove/internal/clock"
	"github.com/troveproject/trove/internal/config"
	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/objectstore"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// Options configure an Engine. The zero value of each field is usable:
// no retries, no forward retries, StallUnset, the system clock, real
// sleeps, an fsync per downloaded object.
type Options struct {
	// AnnexDir is the repository's annex directory (".git/annex", or
	// "annex" in a bare repository), under which transfer/ is kept.
	AnnexDir string
	// Here is the local repository's UUID.
	Here uuid.UUID
	// Retry is annex.retry: how many times a failed transfer is retried,
	// waiting RetryDelay before the first retry and twice as long before
	// each next one. (git-annex 10.20230126 retries one time fewer than
	// configured, an off-by-one its documentation does not mention; we do
	// what the documentation says.)
	Retry int
	// RetryDelay is annex.retry-delay; zero means one second.
	RetryDelay time.Duration
	// ForwardRetry is annex.forward-retry: how many times a failed
	// transfer that made progress is retried on top of Retry, without
	// delay (git-annex's forwardRetry; its default is 5).
	ForwardRetry int
	// Stall is annex.stalldetection.
	Stall StallDetection
	// Clock tells the time of transfer records and stall detection; nil
	// is clock.System().
	Clock clock.Clock
	// Sleep waits between retries and between stall checks; nil sleeps
	// on a timer. It must return ctx's error when ctx is done first.
	Sleep func(ctx context.Context, d time.Duration) error
	// Shared is core.sharedRepository, for the directories created under
	// transfer/.
	Shared fsutil.Shared
	// DeferSync skips the fsync of each downloaded object; the caller
	// then calls Engine.Sync once before recording the objects in the
	// location log. This makes many small downloads much cheaper (one
	// syncfs instead of one fsync per object) with the same guarantee at
	// the point that matters: no location log claims content a power
	// failure could lose.
	DeferSync bool
	// Serial, when set, names the remotes whose transfers run one at a
	// time, however many workers call the Engine: the git-annex face
	// overlaps local work without -J but keeps network transfers
	// sequential.
	Serial func(remote.Remote) bool
	// DiskReserve is annex.diskreserve: the free space a download must
	// leave on the object store's file system, counting what the other
	// running downloads have still to write. A download that would eat
	// into it fails before it starts with a *NoSpaceError.
	DiskReserve int64
	// IgnoreSpace skips that check (--force).
	IgnoreSpace bool
}

// OptionsFromConfig returns the Options a repository's configuration
// asks for (annex.retry, annex.retry-delay, annex.forward-retry,
// annex.stalldetection); the caller fills in AnnexDir, Here and Clock. A
// malformed annex.stalldetection is an error naming it.
func OptionsFromConfig(c *config.Config) (Options, error) {
	sd, err := ParseStallDetection(c.StallDetection)
	if err != nil {
		return Options{}, err
	}
	return Options{
		Retry:        c.Retry,
		RetryDelay:   time.Duration(c.RetryDelaySeconds) * time.Second,
		ForwardRetry: c.ForwardRetry,
		Stall:        sd,
		DiskReserve:  c.DiskReserve,
	}, nil
}

// quietSize is the size below which a transfer with a local remote
// (cost at most remote.CheapCost) writes no information file: it ends
// before anyone could read one.
const quietSize = 1 << 20

// Engine runs transfers for one repository. It is safe for concurrent use:
// several workers may transfer different keys at once, and two transfers
// of the same key exclude each other through the transfer lock.
type Engine struct {
	objects *objectstore.Store
	opts    Options
	sleep   sleeper
	clk     clock.Clock

	syncMu  sync.Mutex
	pending atomic.Bool // objects committed without fsync since the last Sync

	serialMu sync.Mutex // held by a transfer with a remote Options.Serial names

	space *spaceCheck // nil with Options.IgnoreSpace
}

// New returns an Engine moving content in and out of objects.
func New(objects *objectstore.Store, opts Options) *Engine {
	e := &Engine{objects: objects, opts: opts, sleep: opts.Sleep, clk: opts.Clock}
	if e.sleep == nil {
		e.sleep = timerSleep
	}
	if e.clk == nil {
		e.clk = clock.System()
	}
	if e.opts.RetryDelay <= 0 {
		e.opts.RetryDelay = time.Second
	}
	if !opts.IgnoreSpace {
		e.space = &spaceCheck{annexDir: opts.AnnexDir, reserve: opts.DiskReserve, now: e.clk.Now}
	}
	return e
}

// Download gets k from rm into the local object store. It takes the
// transfer lock and writes the transfer information file where git-annex
// keeps them (failing at once with an error wrapping ErrInProgress when
// the same download is running elsewhere), resumes a partial download,
// verifies the content while it is written, retries retryable errors with
// backoff, and cancels and retries stalled attempts. A key already present
// is a no-op (checked once the transfer lock is held). It does not write
// the location log: the caller does. Errors are *Error values naming file
// (or k) and rm.
func (e *Engine) Download(ctx context.Context, rm remote.Remote, k key.Key, file string, m progress.Meter) error {
	return e.fail(Download, rm, k, file, e.run(ctx, Download, rm, k, file, m, e.downloadAttempt(rm, k)))
}

// Upload stores the local object of k on rm with the same locking,
// logging, retry and stall rules as Download. Like git-annex's sendAnnex it
// takes no content lock: a drop while the object is sent leaves the bytes
// readable to a remote that opened it, and one that had not opened it yet
// fails with the object missing, so no copy is claimed that was not made.
// It does not write the location log.
func (e *Engine) Upload(ctx context.Context, rm remote.Remote, k key.Key, file string, m progress.Meter) error {
	path, ok, err := e.objects.Find(k)
	if err == nil && !ok {
		err = fmt.Errorf("%s: %w", k, objectstore.ErrNotPresent)
	}
	if err != nil {
		return e.fail(Upload, rm, k, file, err)
	}
	src := remote.Source{Path: path, Size: -1, File: file}
	attempt := func(ctx context.Context, m *meter) (int64, error) {
		m.at(0)
		err := rm.Store(ctx, k, src, m)
		return m.position(), err
	}
	return e.fail(Upload, rm, k, file, e.run(ctx, Upload, rm, k, file, m, attempt))
}

// Sync makes every object downloaded with Options.DeferSync durable, with
// one syncfs(2) of the object store's file system. Call it before
// committing location logs that record those objects. It does nothing when
// nothing is pending.
func (e *Engine) Sync(ctx context.Context) error {
	e.syncMu.Lock()
	defer e.syncMu.Unlock()
	if !e.pending.Swap(false) {
		return nil
	}
	if err := e.objects.SyncFS(); err != nil {
		e.pending.Store(true)
		return err
	}
	return nil
}

// CheckSpace returns a *NoSpaceError when receiving k into the object
// store would eat into annex.diskreserve (see Options.DiskReserve),
// counting what an interrupted download of k already wrote. Download
// calls it; content received by other paths (a peer repository's
// receive) calls it before writing.
func (e *Engine) CheckSpace(k key.Key) error {
	if e.space == nil || e.opts.AnnexDir == "" {
		return nil
	}
	var done int64
	if fi, err := os.Stat(e.objects.TmpPath(k)); err == nil {
		done = fi.Size()
	}
	return e.space.check(k, done)
}

func (e *Engine) fail(d Direction, rm remote.Remote, k key.Key, file string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Direction: d, Key: k, File: file, Remote: rm.Name(), Err: err}
}

// attemptFunc makes one attempt and returns how many bytes of the content
// are complete afterwards (for the forward-retry rule).
type attemptFunc func(ctx context.Context, m *meter) (int64, error)

func (e *Engine) downloadAttempt(rm remote.Remote, k key.Key) attemptFunc {
	return func(ctx context.Context, m *meter) (int64, error) {
		p, err := e.objects.OpenPartial(ctx, k)
		if err != nil {
			return 0, err
		}
		m.at(p.Offset())
		if err := rm.Retrieve(ctx, k, sink{p, m}, m); err != nil {
			done := p.Offset()
			p.Close()
			if fi, serr := os.Stat(p.Path()); serr == nil {
				done = fi.Size() // a helper may have written it directly
			}
			return done, err
		}
		if e.opts.DeferSync {
			err = p.CommitNoSync(ctx)
			e.pending.Store(true)
		} else {
			err = p.Commit(ctx)
		}
		if errors.Is(err, objectstore.ErrBadContent) {
			return 0, fmt.Errorf("%w: %w", ErrVerification, err)
		}
		return m.position(), err
	}
}

// run takes the transfer record and makes attempts until one succeeds or
// the retry rules give up.
func (e *Engine) run(ctx context.Context, d Direction, rm remote.Remote, k key.Key, file string, caller progress.Meter, attempt attemptFunc) (err error) {
	if e.opts.Serial != nil && e.opts.Serial(rm) {
		e.serialMu.Lock()
		defer e.serialMu.Unlock()
	}
	begin := Begin
	if rm.Cost() <= remote.CheapCost && k.HasSize && k.Size < quietSize {
		begin = BeginQuiet
	}
	rec, err := begin(e.opts.AnnexDir, d, rm.UUID(), k, file, e.clk.Now(), e.opts.Shared)
	if err != nil {
		return err
	}
	defer func() {
		if eerr := rec.End(err == nil); err == nil {
			err = eerr
		}
	}()
	if d == Download {
		// Another process may have finished the same download just
		// before we took the lock.
		if ok, err := e.objects.Has(k); err != nil || ok {
			return err
		}
		if err := e.CheckSpace(k); err != nil {
			return err
		}
	}
	m := newMeter(caller, rec)
	if k.HasSize {
		m.SetTotal(k.Size)
	}
	var (
		retries        int
		verifyRetried  bool
		before, done   int64
		stalled        atomic.Bool
		attemptStalled bool
	)
	for {
		actx, cancel := context.WithCancel(ctx)
		stalled.Store(false)
		stop := e.startWatch(actx, m, m.moved.Load(), func() {
			if e.opts.Stall.Mode == StallUnset {
				m.warn("Transfer seems to have stalled. To restart stalled transfers, configure annex.stalldetection")
				return
			}
			stalled.Store(true)
			cancel()
		})
		done, err = attempt(actx, m)
		cancel()
		stop()
		attemptStalled = stalled.Load()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return err
		}
		if attemptStalled {
			err = fmt.Errorf("%w: %w", ErrStalled, err)
		}
		m.warn(err.Error())
		if errors.Is(err, ErrVerification) {
			if verifyRetried {
				return err
			}
			m.warn("Verification of content failed")
			verifyRetried = true
			continue
		}
		if !attemptStalled && !remote.Retryable(err) {
			return err
		}
		retries++
		forward := done > before && retries <= e.opts.ForwardRetry
		before = done
		if retries <= e.opts.Retry {
			delay := e.opts.RetryDelay << (retries - 1)
			m.note(fmt.Sprintf("Delaying %ds before retrying.", int64(delay/time.Second)))
			if serr := e.sleep(ctx, delay); serr != nil {
				return err
			}
		} else if !forward {
			return err
		}
	}
}
