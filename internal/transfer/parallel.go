package transfer

import (
	"context"
	"iter"
	"sync"
)

// Parallel runs do for every item of items with at most jobs running at
// once (jobs < 1 means 1). With one job the items are done in order, on
// the calling goroutine. Items are drawn from the sequence only as workers
// become free, so a long or lazily produced sequence is never read ahead.
// When ctx is cancelled no further items are handed out; Parallel waits
// for the running ones and returns ctx's error. Otherwise it returns nil
// once every item is done: per-item errors are do's business to report.
func Parallel[T any](ctx context.Context, jobs int, items iter.Seq[T], do func(ctx context.Context, item T)) error {
	if jobs <= 1 {
		for it := range items {
			if err := ctx.Err(); err != nil {
				return err
			}
			do(ctx, it)
		}
		return ctx.Err()
	}
	work := make(chan T)
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for it := range work {
				do(ctx, it)
			}
		})
	}
	var err error
	for it := range items {
		select {
		case <-ctx.Done():
		case work <- it:
			continue
		}
		err = ctx.Err()
		break
	}
	close(work)
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return err
}
