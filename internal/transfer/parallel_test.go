package transfer

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

func TestParallelBounded(t *testing.T) {
	const jobs, n = 4, 200
	var running, peak atomic.Int64
	var mu sync.Mutex
	var done []int
	gate := make(chan struct{})
	go func() {
		for range n {
			gate <- struct{}{}
		}
	}()
	err := Parallel(context.Background(), jobs, slices.Values(seq(n)), func(ctx context.Context, i int) {
		r := running.Add(1)
		for {
			p := peak.Load()
			if r <= p || peak.CompareAndSwap(p, r) {
				break
			}
		}
		<-gate
		running.Add(-1)
		mu.Lock()
		done = append(done, i)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(done)
	if !slices.Equal(done, seq(n)) {
		t.Errorf("items done: %v", done)
	}
	if p := peak.Load(); p > jobs {
		t.Errorf("%d items ran at once, want at most %d", p, jobs)
	}
}

func TestParallelOneJobInOrder(t *testing.T) {
	for _, jobs := range []int{0, 1} {
		var got []int
		if err := Parallel(context.Background(), jobs, slices.Values(seq(50)), func(ctx context.Context, i int) { got = append(got, i) }); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, seq(50)) {
			t.Errorf("jobs=%d: order %v", jobs, got)
		}
	}
}

func TestParallelCancel(t *testing.T) {
	for _, jobs := range []int{1, 3} {
		ctx, cancel := context.WithCancel(context.Background())
		var count atomic.Int64
		err := Parallel(ctx, jobs, slices.Values(seq(1000)), func(ctx context.Context, i int) {
			if count.Add(1) == 10 {
				cancel()
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("jobs=%d: err = %v", jobs, err)
		}
		if c := count.Load(); c < 10 || c > 10+int64(jobs) {
			t.Errorf("jobs=%d: %d items run after cancelling at the 10th", jobs, c)
		}
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
