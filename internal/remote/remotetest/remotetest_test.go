package remotetest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// flaw is a deliberate bug of memRemote, to show the suite catches it.
type flaw int

const (
	sound           flaw = iota
	retrieveAbsent       // Retrieve of an absent key succeeds with nothing
	ignoreOffset         // Retrieve appends the whole content after the prefix
	removeAbsent         // Remove of an absent key fails
	partialOnCancel      // a cancelled Store leaves half the content present
	storeTwiceFails      // Store of a present key fails
)

// memRemote keeps content in memory.
type memRemote struct {
	flaw flaw
	mu   sync.Mutex
	objs map[key.Key][]byte
}

func (m *memRemote) Name() string    { return "mem" }
func (m *memRemote) UUID() uuid.UUID { return "11111111-2222-4333-8444-555555555555" }
func (m *memRemote) Cost() float64   { return remote.CheapCost }

func (m *memRemote) Store(ctx context.Context, k key.Key, src remote.Source, meter progress.Meter) error {
	m.mu.Lock()
	_, have := m.objs[k]
	m.mu.Unlock()
	if have && m.flaw == storeTwiceFails {
		return fmt.Errorf("already there")
	}
	f, err := src.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	meter.Add(int64(len(b) / 2))
	if err := ctx.Err(); err != nil {
		if m.flaw == partialOnCancel {
			m.mu.Lock()
			m.objs[k] = b[:len(b)/2]
			m.mu.Unlock()
		}
		return fmt.Errorf("store: %w", err)
	}
	m.mu.Lock()
	m.objs[k] = b
	m.mu.Unlock()
	return nil
}

func (m *memRemote) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, meter progress.Meter) error {
	m.mu.Lock()
	b, ok := m.objs[k]
	m.mu.Unlock()
	if !ok {
		if m.flaw == retrieveAbsent {
			return nil
		}
		return fmt.Errorf("%s: %w", k, remote.ErrNotPresent)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	off := dst.Offset()
	if m.flaw == ignoreOffset {
		off = 0
	}
	_, err := dst.Write(b[off:])
	return err
}

func (m *memRemote) CheckPresent(ctx context.Context, k key.Key) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.objs[k]
	return ok, nil
}

func (m *memRemote) Remove(ctx context.Context, k key.Key) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.objs[k]; !ok && m.flaw == removeAbsent {
		return fmt.Errorf("%s: %w", k, remote.ErrNotPresent)
	}
	delete(m.objs, k)
	return nil
}

func newMem(f flaw) *memRemote { return &memRemote{flaw: f, objs: map[key.Key][]byte{}} }

func TestSoundRemotePasses(t *testing.T) {
	var made []*memRemote
	var mu sync.Mutex
	Run(t, func(t *testing.T) remote.Remote {
		m := newMem(sound)
		mu.Lock()
		made = append(made, m)
		mu.Unlock()
		return m
	}, Options{Size: 10000, Large: 300000})
	for _, m := range made {
		if len(m.objs) != 0 {
			t.Errorf("checks left %d keys on the remote", len(m.objs))
		}
	}
}

// failing runs the checks against a flawed remote and returns the names
// of those that failed.
func failing(t *testing.T, f flaw) []string {
	var failed []string
	for _, c := range Checks(newMem(f), Options{Size: 3000, TmpDir: t.TempDir()}) {
		if err := c.Run(context.Background()); err != nil {
			failed = append(failed, c.Name)
		}
	}
	return failed
}

func TestFlawsAreCaught(t *testing.T) {
	for _, tc := range []struct {
		flaw flaw
		want []string
	}{
		{retrieveAbsent, []string{"retrieveKeyFile when not present"}},
		{ignoreOffset, []string{"retrieveKeyFile resume from 33%", "retrieveKeyFile resume from end", "large content"}},
		{removeAbsent, []string{"removeKey when not present"}},
		{partialOnCancel, []string{"cancelled storeKey", "storeKey cancelled midway"}},
		{storeTwiceFails, []string{"storeKey when already present", "concurrent storeKey and retrieveKeyFile of one key"}},
	} {
		if diff := cmp.Diff(tc.want, failing(t, tc.flaw)); diff != "" {
			t.Errorf("flaw %d: failing checks (-want +got):\n%s", tc.flaw, diff)
		}
	}
}

func TestFileSink(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("hello "), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := NewFileSink(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Offset(); got != 6 {
		t.Errorf("Offset of a 6-byte file = %d", got)
	}
	if _, err := io.WriteString(s, "world"); err != nil {
		t.Fatal(err)
	}
	if got := s.Offset(); got != 11 {
		t.Errorf("Offset after write = %d", got)
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(s, "again"); err != nil {
		t.Fatal(err)
	}
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("again", string(b)); diff != "" {
		t.Errorf("content after Restart (-want +got):\n%s", diff)
	}
	if s.Path() != path {
		t.Errorf("Path = %q", s.Path())
	}
}

func TestSameFileNamesDifference(t *testing.T) {
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")
	os.WriteFile(a, []byte("abcdef"), 0o644)
	os.WriteFile(b, []byte("abcXef"), 0o644)
	os.WriteFile(c, []byte("abcdefg"), 0o644)
	if err := sameFile(a, a); err != nil {
		t.Errorf("same file: %v", err)
	}
	if err := sameFile(a, b); err == nil || !strings.Contains(err.Error(), "at byte 3") {
		t.Errorf("differing byte: %v", err)
	}
	if err := sameFile(a, c); err == nil || !strings.Contains(err.Error(), "differ") {
		t.Errorf("longer file: %v", err)
	}
}
