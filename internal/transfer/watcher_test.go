package transfer

import (
	"context"
	"testing"
	"time"

	"github.com/troveproject/trove/internal/clock"
)

// TestWatchRealTimerFires: with the real sleeper the watcher starts when
// its first check is due and still detects a stall.
func TestWatchRealTimerFires(t *testing.T) {
	e := &Engine{opts: Options{Stall: StallDetection{Mode: StallRate, MinBytes: 100, Period: 20 * time.Millisecond}}, sleep: timerSleep, clk: clock.System()}
	m := newMeter(nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stalled := make(chan struct{})
	stop := e.startWatch(ctx, m, 0, func() { close(stalled); cancel() })
	m.Add(10) // first progress, then nothing: a stall
	select {
	case <-stalled:
	case <-time.After(time.Minute):
		t.Fatal("no stall detected")
	}
	stop()
}

// TestWatchShortAttemptStartsNothing: an attempt that ends before the first
// check leaves no watcher behind and reports no stall.
func TestWatchShortAttemptStartsNothing(t *testing.T) {
	e := &Engine{opts: Options{Stall: StallDetection{Mode: StallProbe}}, sleep: timerSleep, clk: clock.System()}
	m := newMeter(nil, nil)
	for range 100 {
		ctx, cancel := context.WithCancel(context.Background())
		stop := e.startWatch(ctx, m, 0, func() { t.Error("stall reported") })
		m.Add(1)
		cancel()
		stop()
	}
	e.opts.Stall = StallDetection{Mode: StallOff}
	stop := e.startWatch(context.Background(), m, 0, func() { t.Error("stall reported") })
	stop()
}
