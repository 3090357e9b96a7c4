package chunked

import (
	"context"
	"runtime"
	"sync"
)

// ahead is how many chunks are worked on at once: prepared (encrypted)
// ahead of their upload, or retrieved ahead of being written to the
// sink in order. At least two, so that one chunk's I/O overlaps the next
// one's CPU work; at most eight, which bounds temporary space and memory.
func ahead() int { return min(max(runtime.GOMAXPROCS(0), 2), 8) }

// result is the outcome of one chunk's work, with the function that
// releases what it holds.
type result[T any] struct {
	v       T
	release func()
	err     error
	slot    bool // the work held one of the `ahead` slots
}

// inOrder runs work(ctx, i) for i in [0, n) with at most `ahead` chunks
// started but not yet consumed, and calls consume(i, v) for each result
// strictly in order of i, on the calling goroutine. It stops at the first
// error (of work or consume), cancels the work still running, releases
// every result that was produced, and returns that error.
func inOrder[T any](ctx context.Context, n, ahead int, work func(context.Context, int) (T, func(), error), consume func(int, T) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]chan result[T], n)
	for i := range results {
		results[i] = make(chan result[T], 1)
	}
	slots := make(chan struct{}, ahead)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range n {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				results[i] <- result[T]{err: ctx.Err()}
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, release, err := work(ctx, i)
				results[i] <- result[T]{v, release, err, true}
			}()
		}
	}()
	var first error
	for i := range n {
		r := <-results[i]
		if first == nil {
			first = r.err
			if first == nil {
				first = consume(i, r.v)
			}
			if first != nil {
				cancel()
			}
		}
		if r.release != nil {
			r.release()
		}
		if r.slot {
			<-slots
		}
	}
	wg.Wait()
	return first
}
