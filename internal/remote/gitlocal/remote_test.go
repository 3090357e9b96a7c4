package gitlocal

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// fakePeer records the calls it gets and keeps content in memory.
type fakePeer struct {
	mu      sync.Mutex
	content map[string][]byte
	calls   []string
}

func (p *fakePeer) log(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, s)
}

func (p *fakePeer) PeerHasKey(ctx context.Context, k key.Key) (bool, error) {
	p.log("has " + k.String())
	_, ok := p.content[k.String()]
	return ok, nil
}

func (p *fakePeer) PeerLockContent(ctx context.Context, k key.Key) (func() error, error) {
	p.log("lock " + k.String())
	if _, ok := p.content[k.String()]; !ok {
		return nil, remote.ErrNotPresent
	}
	return func() error { p.log("unlock " + k.String()); return nil }, nil
}

func (p *fakePeer) PeerReceive(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	p.log("receive " + k.String() + " " + src.Path)
	p.content[k.String()] = []byte(src.Path)
	return nil
}

func (p *fakePeer) PeerSend(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	p.log("send " + k.String())
	c, ok := p.content[k.String()]
	if !ok {
		return remote.ErrNotPresent
	}
	_, err := dst.Write(c[dst.Offset():])
	return err
}

func (p *fakePeer) PeerRemove(ctx context.Context, k key.Key) error {
	p.log("remove " + k.String())
	delete(p.content, k.String())
	return nil
}

// bufSink is an in-memory remote.Sink.
type bufSink struct{ bytes.Buffer }

func (s *bufSink) Offset() int64  { return int64(s.Len()) }
func (s *bufSink) Restart() error { s.Reset(); return nil }
func (s *bufSink) Path() string   { return "" }

var testKey = key.Key{Variety: "SHA256E", Size: 3, HasSize: true, Name: "abc.txt"}

func newTestRemote(t *testing.T, readOnly bool) (*Remote, *fakePeer, *int) {
	t.Helper()
	peer := &fakePeer{content: map[string][]byte{}}
	opens := 0
	r := New(Config{
		Name: "origin", UUID: "11111111-2222-3333-4444-555555555555", Cost: remote.CheapCost,
		Location: t.TempDir(), ReadOnly: readOnly,
		Open: func(ctx context.Context) (Peer, error) { opens++; return peer, nil },
	})
	return r, peer, &opens
}

func TestRemoteDelegatesToPeerOpenedOnce(t *testing.T) {
	ctx := context.Background()
	r, peer, opens := newTestRemote(t, false)
	if *opens != 0 {
		t.Fatalf("New opened the peer")
	}
	if err := r.Store(ctx, testKey, remote.Source{Path: "/src", Size: 3}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	ok, err := r.CheckPresent(ctx, testKey)
	if err != nil || !ok {
		t.Fatalf("CheckPresent = %v, %v; want true", ok, err)
	}
	unlock, err := r.LockContent(ctx, testKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	var sink bufSink
	sink.WriteString("/s")
	if err := r.Retrieve(ctx, testKey, &sink, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if sink.String() != "/src" {
		t.Errorf("Retrieve resumed into %q, want %q", sink.String(), "/src")
	}
	if err := r.Remove(ctx, testKey); err != nil {
		t.Fatal(err)
	}
	k := testKey.String()
	want := []string{"receive " + k + " /src", "has " + k, "lock " + k, "unlock " + k, "send " + k, "remove " + k}
	if diff := cmp.Diff(want, peer.calls); diff != "" {
		t.Errorf("peer calls (-want +got):\n%s", diff)
	}
	if *opens != 1 {
		t.Errorf("peer opened %d times, want 1", *opens)
	}
}

func TestReadOnlyRemoteRefusesChanges(t *testing.T) {
	ctx := context.Background()
	r, peer, _ := newTestRemote(t, true)
	peer.content[testKey.String()] = []byte("abc")
	err := r.Store(ctx, testKey, remote.Source{Path: "/src"}, progress.Discard)
	if !errors.Is(err, remote.ErrReadOnly) || !strings.Contains(err.Error(), "git config --unset remote.origin.annex-readonly") {
		t.Errorf("Store on read-only remote: %v", err)
	}
	if err := r.Remove(ctx, testKey); !errors.Is(err, remote.ErrReadOnly) {
		t.Errorf("Remove on read-only remote: %v", err)
	}
	if _, err := r.LockContent(ctx, testKey); err != nil {
		t.Errorf("LockContent on read-only remote: %v", err)
	}
	if len(peer.calls) != 1 {
		t.Errorf("read-only remote reached the peer for changes: %v", peer.calls)
	}
	if remote.Retryable(err) {
		t.Errorf("read-only error is retryable")
	}
}

func TestMissingRepositoryIsUnavailable(t *testing.T) {
	ctx := context.Background()
	gone := filepath.Join(t.TempDir(), "gone")
	opened := false
	r := New(Config{Name: "usb", UUID: "u", Cost: remote.CheapCost, Location: gone,
		Open: func(ctx context.Context) (Peer, error) { opened = true; return nil, nil }})
	_, err := r.CheckPresent(ctx, testKey)
	if !errors.Is(err, remote.ErrUnavailable) || !strings.Contains(err.Error(), gone) {
		t.Fatalf("CheckPresent of a missing repository: %v", err)
	}
	if opened {
		t.Error("Open called for a missing path")
	}
	if _, err2 := r.LockContent(ctx, testKey); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("second use: %v, want the same error", err2)
	}
}

func TestInfo(t *testing.T) {
	r := New(Config{Name: "origin", Location: "/data/repo"})
	if r.Type() != "git" {
		t.Errorf("Type = %q", r.Type())
	}
	want := []remote.InfoField{{Name: "repository location", Value: "/data/repo"}}
	if diff := cmp.Diff(want, r.Info()); diff != "" {
		t.Errorf("Info (-want +got):\n%s", diff)
	}
}
