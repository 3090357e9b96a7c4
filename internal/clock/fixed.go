package clock

import (
	"sync"
	"time"
)

// Fixed returns a Clock whose Now always returns t.
func Fixed(t time.Time) Clock { return fixed(t) }

type fixed time.Time

// Now returns the fixed instant.
func (f fixed) Now() time.Time { return time.Time(f) }

// Fake is a settable Clock for tests. The zero value reads as the zero time.
// It is safe for concurrent use.
type Fake struct {
	mu sync.Mutex
	t  time.Time
}

// NewFake returns a Fake clock reading t.
func NewFake(t time.Time) *Fake { return &Fake{t: t} }

// Now returns the instant the clock was last set to.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Set makes the clock read t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = t
}

// Advance moves the clock forward by d (backward when d is negative).
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}
