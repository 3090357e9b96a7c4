package external

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// fakeHost is a remote.Host in memory.
type fakeHost struct {
	tmp string

	mu     sync.Mutex
	git    map[string]string
	state  map[string]string
	urls   map[string][]string
	creds  map[string][2]string
	infos  []string
	warns  []string
	debugs []string
}

func newFakeHost(t *testing.T) *fakeHost {
	tmp := filepath.Join(t.TempDir(), ".git", "annex", "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	return &fakeHost{tmp: tmp, git: map[string]string{}, state: map[string]string{},
		urls: map[string][]string{}, creds: map[string][2]string{}}
}

func (h *fakeHost) RepoUUID() uuid.UUID { return "repo-uuid" }
func (h *fakeHost) TmpDir() string      { return h.tmp }
func (h *fakeHost) GitConfig(name string) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.git[name]
	return v, ok
}
func (h *fakeHost) State(_ context.Context, k key.Key) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.state[k.String()], nil
}
func (h *fakeHost) SetState(_ context.Context, k key.Key, v string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.state[k.String()] = v
	return nil
}
func (h *fakeHost) URLs(_ context.Context, k key.Key, prefix string) ([]string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, u := range h.urls[k.String()] {
		if strings.HasPrefix(u, prefix) {
			out = append(out, u)
		}
	}
	return out, nil
}
func (h *fakeHost) SetURLPresent(_ context.Context, k key.Key, u string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.urls[k.String()] = append(h.urls[k.String()], u)
	return nil
}
func (h *fakeHost) SetURLMissing(_ context.Context, k key.Key, u string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	l := h.urls[k.String()]
	for i, x := range l {
		if x == u {
			h.urls[k.String()] = append(l[:i:i], l[i+1:]...)
			break
		}
	}
	return nil
}
func (h *fakeHost) ChunkCounts(context.Context, key.Key) (map[int64]int64, error) { return nil, nil }
func (h *fakeHost) SetChunkCount(context.Context, key.Key, int64, int64) error    { return nil }
func (h *fakeHost) Creds(_ context.Context, s string) (string, string, bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.creds[s]
	return c[0], c[1], ok, nil
}
func (h *fakeHost) SetCreds(_ context.Context, s, login, pass string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.creds[s] = [2]string{login, pass}
	return nil
}
func (h *fakeHost) Warn(msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.warns = append(h.warns, msg)
}
func (h *fakeHost) Info(msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.infos = append(h.infos, msg)
}
func (h *fakeHost) Debug(msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.debugs = append(h.debugs, msg)
}

// fileSink is a remote.Sink over a file.
type fileSink struct {
	path string
	f    *os.File
}

func newFileSink(t *testing.T, path string) *fileSink {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, _ := f.Stat()
	if _, err := f.Seek(st.Size(), 0); err != nil {
		t.Fatal(err)
	}
	return &fileSink{path: path, f: f}
}

func (s *fileSink) Write(p []byte) (int, error) { return s.f.Write(p) }
func (s *fileSink) Offset() int64 {
	st, err := s.f.Stat()
	if err != nil {
		return 0
	}
	return st.Size()
}
func (s *fileSink) Restart() error {
	if err := s.f.Truncate(0); err != nil {
		return err
	}
	_, err := s.f.Seek(0, 0)
	return err
}
func (s *fileSink) Path() string { return s.path }

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

var _ remote.Host = (*fakeHost)(nil)
