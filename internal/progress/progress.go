// Package progress counts the bytes of transfers for lower layers and
// hands throttled snapshots to whoever renders them. It never prints.
package progress

import (
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/troveproject/trove/internal/clock"
)

// Meter receives the progress of one transfer. Implementations are safe
// for concurrent use; calls are cheap enough for every buffer copied.
type Meter interface {
	// SetTotal records the expected size in bytes once it is known.
	SetTotal(n int64)
	// Add records n more bytes done.
	Add(n int64)
}

// Discard is a Meter that ignores everything.
var Discard Meter = discard{}

type discard struct{}

func (discard) SetTotal(int64) {}
func (discard) Add(int64)      {}

// Snapshot is the state of a Counter at one moment.
type Snapshot struct {
	Done  int64
	Total int64 // negative when unknown
}

// Complete reports whether a known total has been reached.
func (s Snapshot) Complete() bool { return s.Total >= 0 && s.Done >= s.Total }

// Counter is a Meter that counts bytes atomically and calls notify at most
// once per interval (measured with clk), and always when the total is
// reached or Flush is called. With a nil clock, notify runs only on
// completion and Flush, which keeps output deterministic. notify calls
// never overlap; an update arriving while notify runs is skipped rather
// than waited for, except completion and Flush. Safe for concurrent use.
type Counter struct {
	done, total atomic.Int64
	interval    time.Duration
	clk         clock.Clock
	notify      func(Snapshot)

	mu       sync.Mutex // held while notify runs; guards last
	last     time.Time
	notified bool
}

// DefaultInterval is the throttle interval for rendering: five updates a second.
const DefaultInterval = 200 * time.Millisecond

// NewCounter returns a Counter with an unknown total.
func NewCounter(interval time.Duration, clk clock.Clock, notify func(Snapshot)) *Counter {
	c := &Counter{interval: interval, clk: clk, notify: notify}
	c.total.Store(-1)
	return c
}

// SetTotal implements Meter.
func (c *Counter) SetTotal(n int64) { c.total.Store(n) }

// Add implements Meter.
func (c *Counter) Add(n int64) {
	c.done.Add(n)
	s := c.Snapshot()
	if s.Complete() {
		c.mu.Lock()
		c.emit(s)
		c.mu.Unlock()
		return
	}
	if c.clk == nil || !c.mu.TryLock() {
		return
	}
	defer c.mu.Unlock()
	if t := c.clk.Now(); !c.notified || t.Sub(c.last) >= c.interval {
		c.last = t
		c.emit(s)
	}
}

func (c *Counter) emit(s Snapshot) {
	c.notified = true
	if c.notify != nil {
		c.notify(s)
	}
}

// Flush calls notify with the current state, whatever the throttle says.
func (c *Counter) Flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.emit(c.Snapshot())
}

// Snapshot returns the current counts.
func (c *Counter) Snapshot() Snapshot {
	return Snapshot{Done: c.done.Load(), Total: c.total.Load()}
}

// Reader counts the bytes read through it into a Meter.
type Reader struct {
	R io.Reader
	M Meter
}

func (r Reader) Read(p []byte) (int, error) {
	n, err := r.R.Read(p)
	if n > 0 {
		r.M.Add(int64(n))
	}
	return n, err
}

// Writer counts the bytes written through it into a Meter.
type Writer struct {
	W io.Writer
	M Meter
}

func (w Writer) Write(p []byte) (int, error) {
	n, err := w.W.Write(p)
	if n > 0 {
		w.M.Add(int64(n))
	}
	return n, err
}

var (
	_ Meter     = (*Counter)(nil)
	_ io.Reader = Reader{}
	_ io.Writer = Writer{}
)
