package progress

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/clock"
)

func TestCounterThrottles(t *testing.T) {
	clk := clock.NewFake(time.Unix(1700000000, 0))
	var got []Snapshot
	c := NewCounter(DefaultInterval, clk, func(s Snapshot) { got = append(got, s) })
	c.SetTotal(100)
	c.Add(10)                        // first update: shown
	c.Add(10)                        // same instant: throttled
	clk.Advance(DefaultInterval - 1) // still within the interval
	c.Add(10)                        // throttled
	clk.Advance(1)                   // interval reached
	c.Add(10)                        // shown
	c.Add(60)                        // complete: always shown
	want := []Snapshot{{10, 100}, {40, 100}, {100, 100}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCounterWithoutClockReportsCompletionAndFlush(t *testing.T) {
	var got []Snapshot
	c := NewCounter(DefaultInterval, nil, func(s Snapshot) { got = append(got, s) })
	c.Add(5)
	c.Flush()
	c.Add(5) // total unknown: not complete
	c.SetTotal(20)
	c.Add(10)
	want := []Snapshot{{5, -1}, {20, 20}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCounterConcurrentAdds(t *testing.T) {
	var mu sync.Mutex
	var last Snapshot
	c := NewCounter(0, clock.NewFake(time.Unix(0, 0)), func(s Snapshot) {
		mu.Lock()
		defer mu.Unlock()
		if s.Done > last.Done {
			last = s
		}
	})
	c.SetTotal(64 * 1000)
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				c.Add(1)
			}
		}()
	}
	wg.Wait()
	if s := c.Snapshot(); s != (Snapshot{64000, 64000}) {
		t.Errorf("Snapshot = %+v", s)
	}
	if last != (Snapshot{64000, 64000}) {
		t.Errorf("completion not notified: last %+v", last)
	}
}

func TestReaderWriterCount(t *testing.T) {
	c := NewCounter(DefaultInterval, nil, nil)
	var dst bytes.Buffer
	n, err := io.Copy(Writer{W: &dst, M: c}, Reader{R: strings.NewReader("hello world"), M: Discard})
	if err != nil || n != 11 {
		t.Fatalf("copy: %d, %v", n, err)
	}
	if s := c.Snapshot(); s.Done != 11 || dst.String() != "hello world" {
		t.Errorf("counted %d, copied %q", s.Done, dst.String())
	}
}
