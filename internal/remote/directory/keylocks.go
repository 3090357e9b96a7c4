package directory

import (
	"sync"

	"github.com/troveproject/trove/internal/key"
)

// keyLocks serialises work on one key within the process, so that two
// stores of the same key do not share git-annex's fixed temporary path.
// The zero value is ready for use.
type keyLocks struct {
	mu    sync.Mutex
	locks map[key.Key]*keyLock
}

type keyLock struct {
	sync.Mutex
	users int
}

// lock locks k and returns the function that unlocks it.
func (l *keyLocks) lock(k key.Key) (unlock func()) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[key.Key]*keyLock{}
	}
	kl := l.locks[k]
	if kl == nil {
		kl = &keyLock{}
		l.locks[k] = kl
	}
	kl.users++
	l.mu.Unlock()
	kl.Lock()
	return func() {
		kl.Unlock()
		l.mu.Lock()
		if kl.users--; kl.users == 0 {
			delete(l.locks, k)
		}
		l.mu.Unlock()
	}
}
