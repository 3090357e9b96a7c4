package keylock

import (
	"runtime"
	"testing"

	"github.com/troveproject/trove/internal/key"
)

// keys a and b are two distinct keys.
var a, b = key.Key{Variety: "WORM", Name: "a"}, key.Key{Variety: "WORM", Name: "b"}

// A second Lock of a held key waits until the holder unlocks: once it is
// registered as a waiter it has still not returned, and it returns after
// the unlock. The set is empty afterwards.
func TestSameKeyExcludes(t *testing.T) {
	var s Set
	unlock := s.Lock(a)
	acquired := make(chan func())
	go func() { acquired <- s.Lock(a) }()
	for s.users(a) < 2 {
		runtime.Gosched() // until the second Lock counts itself in
	}
	select {
	case <-acquired:
		t.Fatal("second Lock of a held key returned before the unlock")
	default:
	}
	unlock()
	(<-acquired)()
	if n := s.held(); n != 0 {
		t.Errorf("%d keys left in the set", n)
	}
}

// A held key does not block another key.
func TestOtherKeyFree(t *testing.T) {
	var s Set
	unlockA := s.Lock(a)
	unlockB := s.Lock(b) // would deadlock if it waited on a
	if n := s.held(); n != 2 {
		t.Errorf("held = %d, want 2", n)
	}
	unlockB()
	unlockA()
	if n := s.held(); n != 0 {
		t.Errorf("held after unlock = %d, want 0", n)
	}
}
