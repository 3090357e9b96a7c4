package remotetest

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// HostUUID is the RepoUUID of a Host made by NewHost.
const HostUUID = uuid.UUID("11111111-1111-1111-1111-111111111111")

// Host is a remote.Host in memory, for tests of remotes and decorators:
// git config, per-key state, URL logs, chunk logs and credentials are
// maps; messages are kept in order. Its setters and getters let a test
// prepare what the repository holds and check what the remote recorded.
// A Host is safe for concurrent use.
type Host struct {
	tmp string

	mu        sync.Mutex
	git       map[string]string
	state     map[key.Key]string
	urls      map[key.Key][]string
	missing   []string
	counts    map[key.Key]map[int64]int64
	countSets int
	creds     map[string][2]string
	infos     []string
	warns     []string
	debugs    []string
}

// NewHost returns an empty Host whose TmpDir is .git/annex/tmp under a
// temporary directory of t (so the repository's git directory is two
// levels above it, as in a real repository).
func NewHost(t testing.TB) *Host {
	t.Helper()
	tmp := filepath.Join(t.TempDir(), ".git", "annex", "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	return &Host{
		tmp:    tmp,
		git:    map[string]string{},
		state:  map[key.Key]string{},
		urls:   map[key.Key][]string{},
		counts: map[key.Key]map[int64]int64{},
		creds:  map[string][2]string{},
	}
}

// RepoUUID implements remote.Host: always HostUUID.
func (h *Host) RepoUUID() uuid.UUID { return HostUUID }

// TmpDir implements remote.Host.
func (h *Host) TmpDir() string { return h.tmp }

// SetGitConfig sets a git configuration value GitConfig returns.
func (h *Host) SetGitConfig(name, value string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.git[name] = value
}

// GitConfig implements remote.Host.
func (h *Host) GitConfig(name string) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.git[name]
	return v, ok
}

// State implements remote.Host.
func (h *Host) State(_ context.Context, k key.Key) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.state[k], nil
}

// SetState implements remote.Host.
func (h *Host) SetState(_ context.Context, k key.Key, v string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.state[k] = v
	return nil
}

// URLs implements remote.Host: the URLs recorded for k, in the order they
// were set present.
func (h *Host) URLs(_ context.Context, k key.Key, prefix string) ([]string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, u := range h.urls[k] {
		if strings.HasPrefix(u, prefix) {
			out = append(out, u)
		}
	}
	return out, nil
}

// SetURLPresent implements remote.Host.
func (h *Host) SetURLPresent(_ context.Context, k key.Key, u string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.urls[k] = append(h.urls[k], u)
	return nil
}

// SetURLMissing implements remote.Host; MissingURLs lists its calls.
func (h *Host) SetURLMissing(_ context.Context, k key.Key, u string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.urls[k] = slices.DeleteFunc(h.urls[k], func(s string) bool { return s == u })
	h.missing = append(h.missing, u)
	return nil
}

// MissingURLs returns the URLs set missing so far, in call order.
func (h *Host) MissingURLs() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.missing)
}

// ChunkCounts implements remote.Host; it returns a copy.
func (h *Host) ChunkCounts(_ context.Context, k key.Key) (map[int64]int64, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[int64]int64{}
	maps.Copy(out, h.counts[k])
	return out, nil
}

// SetChunkCount implements remote.Host; ChunkCountWrites counts its calls.
func (h *Host) SetChunkCount(_ context.Context, k key.Key, size, n int64) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.counts[k] == nil {
		h.counts[k] = map[int64]int64{}
	}
	h.counts[k][size] = n
	h.countSets++
	return nil
}

// ChunkCountWrites returns how many times SetChunkCount was called.
func (h *Host) ChunkCountWrites() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.countSets
}

// Creds implements remote.Host.
func (h *Host) Creds(_ context.Context, setting string) (string, string, bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.creds[setting]
	return c[0], c[1], ok, nil
}

// SetCreds implements remote.Host.
func (h *Host) SetCreds(_ context.Context, setting, login, password string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.creds[setting] = [2]string{login, password}
	return nil
}

// AllCreds returns a copy of the stored credentials by setting, each as
// {login, password}.
func (h *Host) AllCreds() map[string][2]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return maps.Clone(h.creds)
}

// Warn implements remote.Host; Warnings lists the messages.
func (h *Host) Warn(msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.warns = append(h.warns, msg)
}

// Info implements remote.Host; Infos lists the messages.
func (h *Host) Info(msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.infos = append(h.infos, msg)
}

// Debug receives an external helper's DEBUG messages (the optional
// external.Debugger ability); Debugs lists them.
func (h *Host) Debug(msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.debugs = append(h.debugs, msg)
}

// Debugs returns the messages passed to Debug, in order.
func (h *Host) Debugs() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.debugs)
}

// Warnings returns the messages passed to Warn, in order.
func (h *Host) Warnings() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.warns)
}

// Infos returns the messages passed to Info, in order.
func (h *Host) Infos() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.infos)
}

// WritableTempDir is t.TempDir that can be removed after a remote froze
// directories in it (as the directory remote does with key directories).
func WritableTempDir(t testing.TB) string {
	t.Helper()
	d := t.TempDir()
	t.Cleanup(func() {
		_ = filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err == nil && e.IsDir() {
				return os.Chmod(p, 0o755)
			}
			return nil
		})
	})
	return d
}

var _ remote.Host = (*Host)(nil)
