package transfer

import (
	"context"
	"sync"
	"time"
)

// startWatch starts stall detection for one attempt, whose context ctx
// onStall may cancel, over the meter's byte count from from. The caller
// cancels ctx when the attempt ends and then calls the returned stop,
// which waits until the detection has ended.
//
// With the real sleeper the common case, an attempt that ends before the
// first check is due (30 seconds or more), costs one stopped timer and no
// goroutine: the watcher starts from a time.AfterFunc when that check is
// due. A sleeper given in Options (tests) runs the watcher in a goroutine
// from the start, as it decides itself when time passes.
func (e *Engine) startWatch(ctx context.Context, m *meter, from int64, onStall func()) (stop func()) {
	sd := e.opts.Stall
	first := sd.firstCheck()
	if first <= 0 {
		return func() {}
	}
	if e.opts.Sleep != nil {
		done := make(chan struct{})
		go func() {
			defer close(done)
			sd.watch(ctx, e.sleep, e.clk, m.moved.Load, from, onStall)
		}()
		return func() { <-done }
	}
	var wg sync.WaitGroup
	wg.Add(1)
	t := time.AfterFunc(first, func() {
		defer wg.Done()
		start := e.clk.Now().Add(-first)
		sd.watchFrom(ctx, e.sleep, e.clk, m.moved.Load, from, start, true, onStall)
	})
	return func() {
		if t.Stop() {
			wg.Done() // never started
		}
		wg.Wait()
	}
}
