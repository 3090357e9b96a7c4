package webdav

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

const testUUID = uuid.UUID("0b9d4a52-7d3c-4f4e-9a0e-5d1f3c2b7a61")

// fakeHost is the part of remote.Host the remote and its decorators use:
// a temporary directory, git config, stored credentials and the chunk
// log. Other methods panic (nil embedded Host).
type fakeHost struct {
	remote.Host
	tmp string

	mu     sync.Mutex
	git    map[string]string
	creds  map[string][2]string
	counts map[key.Key]map[int64]int64
}

func newHost(t *testing.T) *fakeHost {
	return &fakeHost{tmp: t.TempDir(), git: map[string]string{}, creds: map[string][2]string{}, counts: map[key.Key]map[int64]int64{}}
}

func (h *fakeHost) TmpDir() string { return h.tmp }

func (h *fakeHost) GitConfig(name string) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.git[name]
	return v, ok
}

func (h *fakeHost) Creds(ctx context.Context, setting string) (string, string, bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.creds[setting]
	return c[0], c[1], ok, nil
}

func (h *fakeHost) SetCreds(ctx context.Context, setting, login, password string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.creds[setting] = [2]string{login, password}
	return nil
}

func (h *fakeHost) ChunkCounts(ctx context.Context, k key.Key) (map[int64]int64, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[int64]int64{}
	for s, n := range h.counts[k] {
		out[s] = n
	}
	return out, nil
}

func (h *fakeHost) SetChunkCount(ctx context.Context, k key.Key, size, n int64) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.counts[k] == nil {
		h.counts[k] = map[int64]int64{}
	}
	h.counts[k][size] = n
	return nil
}

// clearEnv hides any WEBDAV_USERNAME/WEBDAV_PASSWORD of the developer's
// shell from the test (restored when it ends).
func clearEnv(t *testing.T) {
	for _, v := range []string{EnvUser, EnvPassword} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
}
