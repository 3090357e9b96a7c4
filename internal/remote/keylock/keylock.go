// Package keylock serialises work on one key within a process: a remote
// whose operations on a key share a fixed temporary path (git-annex's
// layouts name them after the key) takes the key's lock around them.
// Locks are in memory only; they do not exclude other processes.
package keylock

import (
	"sync"

	"github.com/troveproject/trove/internal/key"
)

// Set holds one mutex per key in use; a key's entry is dropped when its
// last holder or waiter unlocks. The zero value is ready for use, and a
// Set is safe for concurrent use. A Set must not be copied after first use.
type Set struct {
	mu    sync.Mutex
	locks map[key.Key]*entry
}

type entry struct {
	sync.Mutex
	users int
}

// Lock blocks until k is free, locks it and returns the function that
// unlocks it (to be called once). Different keys never wait on each
// other.
func (s *Set) Lock(k key.Key) (unlock func()) {
	s.mu.Lock()
	if s.locks == nil {
		s.locks = map[key.Key]*entry{}
	}
	e := s.locks[k]
	if e == nil {
		e = &entry{}
		s.locks[k] = e
	}
	e.users++
	s.mu.Unlock()
	e.Lock()
	return func() {
		e.Unlock()
		s.mu.Lock()
		if e.users--; e.users == 0 {
			delete(s.locks, k)
		}
		s.mu.Unlock()
	}
}

// held returns how many keys have holders or waiters (for tests).
func (s *Set) held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.locks)
}

// users returns how many holders and waiters k has (for tests).
func (s *Set) users(k key.Key) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.locks[k]; e != nil {
		return e.users
	}
	return 0
}
