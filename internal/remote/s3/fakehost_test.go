package s3

import (
	"context"
	"sync"
	"testing"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// fakeHost is an in-memory remote.Host: chunk log, creds, messages and a
// temporary directory, enough for the S3 remote and its decorators.
type fakeHost struct {
	tmp string

	mu       sync.Mutex
	counts   map[key.Key]map[int64]int64
	login    string
	password string
	hasCreds bool
	warnings []string
}

func newHost(t *testing.T) *fakeHost {
	return &fakeHost{tmp: t.TempDir(), counts: map[key.Key]map[int64]int64{}}
}

func (h *fakeHost) RepoUUID() uuid.UUID                  { return "0b1c2d3e-0000-4000-8000-000000000001" }
func (h *fakeHost) TmpDir() string                       { return h.tmp }
func (h *fakeHost) GitConfig(name string) (string, bool) { return "", false }
func (h *fakeHost) State(context.Context, key.Key) (string, error) {
	return "", nil
}
func (h *fakeHost) SetState(context.Context, key.Key, string) error { return nil }
func (h *fakeHost) URLs(context.Context, key.Key, string) ([]string, error) {
	return nil, nil
}
func (h *fakeHost) SetURLPresent(context.Context, key.Key, string) error { return nil }
func (h *fakeHost) SetURLMissing(context.Context, key.Key, string) error { return nil }

func (h *fakeHost) ChunkCounts(_ context.Context, k key.Key) (map[int64]int64, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[int64]int64{}
	for s, n := range h.counts[k] {
		out[s] = n
	}
	return out, nil
}

func (h *fakeHost) SetChunkCount(_ context.Context, k key.Key, size, n int64) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.counts[k] == nil {
		h.counts[k] = map[int64]int64{}
	}
	h.counts[k][size] = n
	return nil
}

func (h *fakeHost) Creds(context.Context, string) (string, string, bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.login, h.password, h.hasCreds, nil
}

func (h *fakeHost) SetCreds(_ context.Context, _, login, password string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.login, h.password, h.hasCreds = login, password, true
	return nil
}

func (h *fakeHost) Warn(msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.warnings = append(h.warnings, msg)
}

func (h *fakeHost) Info(string) {}

var _ remote.Host = (*fakeHost)(nil)
