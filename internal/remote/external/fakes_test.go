package external

import (
	"sync"
	"testing"

	"github.com/troveproject/trove/internal/remote/remotetest"
)

// newFileSink is a remote.Sink over the file at path, closed when the
// test ends.
func newFileSink(t *testing.T, path string) *remotetest.FileSink {
	t.Helper()
	s, err := remotetest.NewFileSink(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// countMeter is a progress.Meter that records the bytes added.
type countMeter struct {
	mu    sync.Mutex
	total int64
	adds  []int64
	onAdd func()
}

func (m *countMeter) SetTotal(int64) {}
func (m *countMeter) Add(n int64) {
	m.mu.Lock()
	m.total += n
	m.adds = append(m.adds, n)
	f := m.onAdd
	m.mu.Unlock()
	if f != nil {
		f()
	}
}

var _ Debugger = (*remotetest.Host)(nil)
