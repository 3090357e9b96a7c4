package chunked

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/directory"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/uuid"
)

const testUUID = uuid.UUID("e1cd61bb-feed-47a2-97e4-874d9cf00348")

// chunkLog returns the chunk counts h records for k.
func chunkLog(t *testing.T, h *remotetest.Host, k key.Key) map[int64]int64 {
	t.Helper()
	m, err := h.ChunkCounts(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// dirRemote is a directory remote in dir, as git-annex lays it out.
func dirRemote(dir string) *directory.Remote {
	return directory.New(remote.Params{Name: "dchunk", UUID: testUUID, Config: remote.Config{"type": "directory"}}, dir)
}

// wrap chunks base with the given chunk= value.
func wrap(t *testing.T, base remote.Remote, h remote.Host, chunk string) remote.Remote {
	t.Helper()
	r, err := Wrap(base, remote.Params{Name: base.Name(), UUID: base.UUID(), Host: h,
		Config: remote.Config{"type": "directory", "encryption": "none", "chunk": chunk}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// spy is a base remote that records the keys asked of it and can be made
// to fail storing one key.
type spy struct {
	remote.Remote
	mu        sync.Mutex
	stored    []string
	retrieved []string
	failStore key.Key
}

var errInjected = errors.New("injected failure")

func (s *spy) Store(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	s.mu.Lock()
	s.stored = append(s.stored, k.String())
	fail := k == s.failStore
	s.mu.Unlock()
	if fail {
		return errInjected
	}
	return s.Remote.Store(ctx, k, src, m)
}

func (s *spy) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	s.mu.Lock()
	s.retrieved = append(s.retrieved, k.String())
	s.mu.Unlock()
	return s.Remote.Retrieve(ctx, k, dst, m)
}

func (s *spy) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stored, s.retrieved = nil, nil
}

// pathWriter is a base remote whose Retrieve writes the file dst.Path()
// names instead of writing through dst, as rsync and external helpers do.
type pathWriter struct{ remote.Remote }

func (p pathWriter) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	tmp := dst.Path() + ".in"
	s, err := remotetest.NewFileSink(tmp)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := p.Remote.Retrieve(ctx, k, s, m); err != nil {
		s.Close()
		return err
	}
	b, err := s.Bytes()
	if err != nil {
		return err
	}
	return os.WriteFile(dst.Path(), b, 0o644)
}

// truncSink is a FileSink that can truncate, as objectstore.Partial can.
type truncSink struct {
	*remotetest.FileSink
	truncated []int64
}

func (s *truncSink) Truncate(size int64) error {
	b, err := os.ReadFile(s.Path())
	if err != nil {
		return err
	}
	s.truncated = append(s.truncated, size)
	if err := s.Restart(); err != nil {
		return err
	}
	_, err = s.Write(b[:size])
	return err
}

// countMeter sums what it is told.
type countMeter struct {
	mu           sync.Mutex
	total, added int64
}

func (m *countMeter) SetTotal(n int64) { m.mu.Lock(); m.total = n; m.mu.Unlock() }
func (m *countMeter) Add(n int64)      { m.mu.Lock(); m.added += n; m.mu.Unlock() }
