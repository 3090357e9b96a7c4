package p2p

import (
	"hash/maphash"
	"sync"

	"github.com/troveproject/trove/internal/key"
)

// keyLocks are mutexes striped by key. The zero value is ready to use.
type keyLocks struct {
	once sync.Once
	seed maphash.Seed
	mu   [32]sync.Mutex
}

// lock takes k's mutex and returns its release.
func (l *keyLocks) lock(k key.Key) func() {
	l.once.Do(func() { l.seed = maphash.MakeSeed() })
	m := &l.mu[maphash.String(l.seed, k.String())%uint64(len(l.mu))]
	m.Lock()
	return m.Unlock
}
