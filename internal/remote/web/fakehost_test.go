package web

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// fakeHost is a remote.Host holding URL logs in memory.
type fakeHost struct {
	mu      sync.Mutex
	urls    map[string][]string
	missing []string
}

func newFakeHost() *fakeHost { return &fakeHost{urls: map[string][]string{}} }

func (h *fakeHost) RepoUUID() uuid.UUID                             { return "11111111-1111-1111-1111-111111111111" }
func (h *fakeHost) TmpDir() string                                  { return "" }
func (h *fakeHost) GitConfig(string) (string, bool)                 { return "", false }
func (h *fakeHost) State(context.Context, key.Key) (string, error)  { return "", nil }
func (h *fakeHost) SetState(context.Context, key.Key, string) error { return nil }
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
	h.urls[k.String()] = slices.DeleteFunc(h.urls[k.String()], func(s string) bool { return s == u })
	h.missing = append(h.missing, u)
	return nil
}
func (h *fakeHost) ChunkCounts(context.Context, key.Key) (map[int64]int64, error) { return nil, nil }
func (h *fakeHost) SetChunkCount(context.Context, key.Key, int64, int64) error    { return nil }
func (h *fakeHost) Creds(context.Context, string) (string, string, bool, error) {
	return "", "", false, nil
}
func (h *fakeHost) SetCreds(context.Context, string, string, string) error { return nil }
func (h *fakeHost) Warn(string)                                            {}
func (h *fakeHost) Info(string)                                            {}

var _ remote.Host = (*fakeHost)(nil)
