package encrypted

import (
	"sync"

	"github.com/troveproject/trove/internal/key"
)

// keyLocks serialises retrievals of one encrypted key within the process,
// since they share the ciphertext temporary file.
type keyLocks struct {
	mu sync.Mutex
	m  map[key.Key]*keyLock
}

type keyLock struct {
	sync.Mutex
	users int
}

// lock locks k and returns the function that unlocks it.
func (l *keyLocks) lock(k key.Key) (unlock func()) {
	l.mu.Lock()
	if l.m == nil {
		l.m = map[key.Key]*keyLock{}
	}
	kl := l.m[k]
	if kl == nil {
		kl = &keyLock{}
		l.m[k] = kl
	}
	kl.users++
	l.mu.Unlock()
	kl.Lock()
	return func() {
		kl.Unlock()
		l.mu.Lock()
		if kl.users--; kl.users == 0 {
			delete(l.m, k)
		}
		l.mu.Unlock()
	}
}
