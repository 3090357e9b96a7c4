package keylock

import (
	"sync"
	"testing"

	"github.com/troveproject/trove/internal/key"
)

// keys a and b are two distinct keys.
var a, b = key.Key{Variety: "WORM", Name: "a"}, key.Key{Variety: "WORM", Name: "b"}

// Holders of one key run one at a time: a counter updated without other
// synchronisation inside the lock never sees two holders (the race
// detector would also flag it), and the set is empty afterwards.
func TestSameKeyExcludes(t *testing.T) {
	var s Set
	inside, most := 0, 0
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock := s.Lock(a)
			inside++
			most = max(most, inside)
			inside--
			unlock()
		}()
	}
	wg.Wait()
	if most != 1 {
		t.Errorf("holders at once = %d, want 1", most)
	}
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
