package remotetest

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
)

// Options tune the checks.
type Options struct {
	// Size is the size of ordinary test content; 0 means 1 MiB, the
	// default of git-annex's testremote.
	Size int64
	// Large is the size of the large-content check; 0 means four times
	// Size, a negative value skips the check.
	Large int64
	// Fast skips the large-content and concurrency checks (testremote
	// --fast).
	Fast bool
	// Concurrency is the number of goroutines of the concurrency checks;
	// 0 means 4.
	Concurrency int
	// TmpDir holds the checks' scratch files; it must exist. Run sets it
	// for each check.
	TmpDir string
}

func (o Options) withDefaults() Options {
	if o.Size == 0 {
		o.Size = 1 << 20
	}
	if o.Large == 0 {
		o.Large = 4 * o.Size
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	return o
}

// Check is one conformance check. Run returns nil when the remote behaves
// as the remote.Remote contract says; it stores only keys of random
// content it made up and removes them again before returning.
type Check struct {
	Name string
	Run  func(ctx context.Context) error
}

// Checks returns the conformance checks for r, in the order they are best
// run. They are independent of each other; each may be run alone.
// opts.TmpDir must be set.
func Checks(r remote.Remote, opts Options) []Check {
	e := &env{r: r, dir: opts.TmpDir, opts: opts.withDefaults()}
	cs := []Check{
		{"removeKey when not present", e.removeAbsent},
		{"present False", e.presentFalse},
		{"retrieveKeyFile when not present", e.retrieveAbsent},
		{"storeKey", e.storeThenPresent},
		{"storeKey when already present", e.storeTwice},
		{"retrieveKeyFile", e.retrieveWhole},
		{"retrieveKeyFile resume from 33%", e.resumeFrom(1, 3)},
		{"retrieveKeyFile resume from end", e.resumeFrom(1, 1)},
		{"removeKey when present", e.removePresent},
		{"empty content", e.empty},
		{"odd key names", e.oddKeys},
		{"cancelled storeKey", e.cancelledBefore},
		{"storeKey cancelled midway", e.cancelledMidway},
	}
	if e.opts.Fast {
		return cs
	}
	if e.opts.Large > 0 {
		cs = append(cs, Check{"large content", e.large})
	}
	return append(cs,
		Check{"concurrent storeKey of different keys", e.concurrentDifferent},
		Check{"concurrent storeKey and retrieveKeyFile of one key", e.concurrentSame},
	)
}

func (e *env) removeAbsent(ctx context.Context) error {
	c, err := e.newContent(e.opts.Size)
	if err != nil {
		return err
	}
	return e.cleanup(e.remove(ctx, c), c)
}

func (e *env) presentFalse(ctx context.Context) error {
	c, err := e.newContent(e.opts.Size)
	if err != nil {
		return err
	}
	return e.cleanup(e.present(ctx, c, false), c)
}

func (e *env) retrieveAbsent(ctx context.Context) error {
	c, err := e.newContent(e.opts.Size)
	if err != nil {
		return err
	}
	err = e.retrieve(ctx, c)
	switch {
	case err == nil:
		err = fmt.Errorf("retrieve %s: succeeded, but the key was never stored", c.key)
	case errors.Is(err, remote.ErrNotPresent):
		err = nil
	default:
		err = fmt.Errorf("%w (want an error wrapping remote.ErrNotPresent)", err)
	}
	return e.cleanup(err, c)
}

// roundTrip stores c, checks it present, runs then, removes it and checks
// it absent.
func (e *env) roundTrip(ctx context.Context, c content, then func() error) error {
	err := e.store(ctx, c)
	if err == nil {
		err = e.present(ctx, c, true)
	}
	if err == nil && then != nil {
		err = then()
	}
	if err == nil {
		err = e.remove(ctx, c)
	}
	if err == nil {
		err = e.present(ctx, c, false)
	}
	return e.cleanup(err, c)
}

func (e *env) storeThenPresent(ctx context.Context) error {
	c, err := e.newContent(e.opts.Size)
	if err != nil {
		return err
	}
	return e.roundTrip(ctx, c, nil)
}

func (e *env) storeTwice(ctx context.Context) error {
	c, err := e.newContent(e.opts.Size)
	if err != nil {
		return err
	}
	return e.roundTrip(ctx, c, func() error {
		if err := e.store(ctx, c); err != nil {
			return fmt.Errorf("second %w", err)
		}
		if err := e.present(ctx, c, true); err != nil {
			return err
		}
		return e.retrieve(ctx, c)
	})
}

func (e *env) retrieveWhole(ctx context.Context) error {
	c, err := e.newContent(e.opts.Size)
	if err != nil {
		return err
	}
	return e.roundTrip(ctx, c, func() error { return e.retrieve(ctx, c) })
}

// resumeFrom retrieves into a sink already holding num/den of the content.
func (e *env) resumeFrom(num, den int64) func(context.Context) error {
	return func(ctx context.Context) error {
		c, err := e.newContent(e.opts.Size)
		if err != nil {
			return err
		}
		return e.roundTrip(ctx, c, func() error { return e.retrieveInto(ctx, c, c.size*num/den) })
	}
}

func (e *env) removePresent(ctx context.Context) error {
	c, err := e.newContent(e.opts.Size)
	if err != nil {
		return err
	}
	return e.roundTrip(ctx, c, func() error {
		if err := e.remove(ctx, c); err != nil {
			return err
		}
		if err := e.present(ctx, c, false); err != nil {
			return fmt.Errorf("after remove: %w", err)
		}
		// Store again, so that roundTrip's own remove finds it.
		return e.store(ctx, c)
	})
}

func (e *env) empty(ctx context.Context) error {
	c, err := e.newContent(0)
	if err != nil {
		return err
	}
	return e.roundTrip(ctx, c, func() error { return e.retrieve(ctx, c) })
}

func (e *env) large(ctx context.Context) error {
	c, err := e.newContent(e.opts.Large)
	if err != nil {
		return err
	}
	return e.roundTrip(ctx, c, func() error {
		if err := e.retrieve(ctx, c); err != nil {
			return err
		}
		return e.retrieveInto(ctx, c, c.size/2)
	})
}

// oddKeys round-trips keys whose names need escaping in file names and
// URLs: a URL key with '/', ':', '%', '&' and '?', and a WORM key with
// spaces.
func (e *env) oddKeys(ctx context.Context) error {
	tag := e.name("k")[len(e.dir)+1:]
	size := min(e.opts.Size, 4096)
	keys := []key.Key{
		{Variety: "URL", Size: size, HasSize: true, Name: "http://example.com/a dir/" + tag + "?x=1&y=%41"},
		{Variety: "WORM", Size: size, HasSize: true, Mtime: 1700000000, HasMtime: true, Name: "a dir/file " + tag + " with spaces.txt"},
	}
	for _, k := range keys {
		c, err := e.withKey(k, size)
		if err != nil {
			return err
		}
		if err := e.roundTrip(ctx, c, func() error { return e.retrieve(ctx, c) }); err != nil {
			return err
		}
	}
	return nil
}

// cancelledBefore stores and retrieves with a context cancelled
// beforehand: both must fail and nothing may be present.
func (e *env) cancelledBefore(ctx context.Context) error {
	c, err := e.newContent(e.opts.Size)
	if err != nil {
		return err
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	err = e.store(cctx, c)
	switch {
	case err == nil:
		err = fmt.Errorf("store %s with a cancelled context succeeded", c.key)
	case !errors.Is(err, context.Canceled):
		err = fmt.Errorf("%w (want an error wrapping context.Canceled)", err)
	default:
		err = e.present(ctx, c, false)
	}
	return e.cleanup(err, c)
}

// cancelledMidway cancels a store at its first progress report: either
// the store fails with context.Canceled and the key is absent or whole
// (the remote had received it all), or it had finished and the key is
// present.
func (e *env) cancelledMidway(ctx context.Context) error {
	size := e.opts.Size
	if e.opts.Large > size {
		size = e.opts.Large
	}
	c, err := e.newContent(size)
	if err != nil {
		return err
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	err = e.r.Store(cctx, c.key, c.source(), cancelMeter{cancel})
	switch {
	case err == nil:
		err = e.present(ctx, c, true)
	case !errors.Is(err, context.Canceled):
		err = fmt.Errorf("store %s cancelled midway: %w (want an error wrapping context.Canceled)", c.key, err)
	default:
		// The remote may have received everything before it saw the
		// cancellation; then the whole content must be there.
		var have bool
		if have, err = e.r.CheckPresent(ctx, c.key); err == nil && have {
			if err = e.retrieve(ctx, c); err != nil {
				err = fmt.Errorf("a cancelled store left content that is not whole: %w", err)
			}
		}
	}
	return e.cleanup(err, c)
}

// cancelMeter cancels its context when progress is reported.
type cancelMeter struct{ cancel context.CancelFunc }

func (m cancelMeter) SetTotal(int64) {}
func (m cancelMeter) Add(int64)      { m.cancel() }

// parallel runs f(i) for i in [0,n) at once and returns the first error.
func parallel(n int, f func(i int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = f(i) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (e *env) concurrentDifferent(ctx context.Context) error {
	n := e.opts.Concurrency
	cs := make([]content, n)
	for i := range cs {
		c, err := e.newContent(e.opts.Size)
		if err != nil {
			return e.cleanup(err, cs[:i]...)
		}
		cs[i] = c
	}
	err := parallel(n, func(i int) error { return e.store(ctx, cs[i]) })
	if err == nil {
		err = parallel(n, func(i int) error {
			if err := e.present(ctx, cs[i], true); err != nil {
				return err
			}
			return e.retrieve(ctx, cs[i])
		})
	}
	if err == nil {
		err = parallel(n, func(i int) error { return e.remove(ctx, cs[i]) })
	}
	if err == nil {
		err = parallel(n, func(i int) error { return e.present(ctx, cs[i], false) })
	}
	return e.cleanup(err, cs...)
}

func (e *env) concurrentSame(ctx context.Context) error {
	c, err := e.newContent(e.opts.Size)
	if err != nil {
		return err
	}
	n := e.opts.Concurrency
	err = parallel(n, func(int) error { return e.store(ctx, c) })
	if err == nil {
		err = parallel(n, func(i int) error {
			if i%2 == 0 {
				return e.store(ctx, c)
			}
			return e.retrieve(ctx, c)
		})
	}
	if err == nil {
		err = e.retrieve(ctx, c)
	}
	return e.cleanup(err, c)
}
