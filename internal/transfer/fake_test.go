package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/troveproject/trove/internal/clock"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/objectstore"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// fakeRemote keeps content as files named by key in a directory. Retrieve
// resumes at the sink's offset. hook, when set, replaces Retrieve's body
// for the attempt numbered n (from 0); it returns handled=false to fall
// back to the normal behaviour.
type fakeRemote struct {
	name string
	u    uuid.UUID
	dir  string
	cost float64 // 0 means remote.CheapCost

	mu      sync.Mutex
	offsets []int64 // dst.Offset() seen by each Retrieve
	stores  int
	hook    func(ctx context.Context, n int, k key.Key, dst remote.Sink, m progress.Meter) (handled bool, err error)
}

func newFakeRemote(t testing.TB) *fakeRemote {
	return &fakeRemote{name: "fake", u: "11111111-2222-3333-4444-555555555555", dir: t.TempDir()}
}

func (r *fakeRemote) Name() string    { return r.name }
func (r *fakeRemote) UUID() uuid.UUID { return r.u }
func (r *fakeRemote) Cost() float64 {
	if r.cost == 0 {
		return remote.CheapCost
	}
	return r.cost
}

func (r *fakeRemote) path(k key.Key) string { return filepath.Join(r.dir, k.File()) }

func (r *fakeRemote) put(t testing.TB, content string) key.Key {
	t.Helper()
	k := sha256Key(content)
	if err := os.WriteFile(r.path(k), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return k
}

func (r *fakeRemote) Store(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	r.mu.Lock()
	r.stores++
	r.mu.Unlock()
	in, err := src.Open()
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := r.path(k) + ".tmp"
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, progress.Reader{R: in, M: m}); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, r.path(k))
}

func (r *fakeRemote) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	r.mu.Lock()
	n := len(r.offsets)
	r.offsets = append(r.offsets, dst.Offset())
	hook := r.hook
	r.mu.Unlock()
	if hook != nil {
		if handled, err := hook(ctx, n, k, dst, m); handled {
			return err
		}
	}
	return r.send(k, dst, m, -1)
}

// send writes the content from dst's offset up to limit bytes of the
// content (-1: all of it).
func (r *fakeRemote) send(k key.Key, dst remote.Sink, m progress.Meter, limit int64) error {
	f, err := os.Open(r.path(k))
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s: %w", k, remote.ErrNotPresent)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	var src io.Reader = f
	if _, err := f.Seek(dst.Offset(), io.SeekStart); err != nil {
		return err
	}
	if limit >= 0 {
		src = io.LimitReader(f, limit-dst.Offset())
	}
	_, err = io.Copy(progress.Writer{W: dst, M: m}, src)
	return err
}

func (r *fakeRemote) CheckPresent(ctx context.Context, k key.Key) (bool, error) {
	_, err := os.Stat(r.path(k))
	return err == nil, nil
}

func (r *fakeRemote) Remove(ctx context.Context, k key.Key) error {
	err := os.Remove(r.path(k))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

func (r *fakeRemote) seenOffsets() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int64(nil), r.offsets...)
}

var _ remote.Remote = (*fakeRemote)(nil)

func sha256Key(content string) key.Key {
	sum := sha256.Sum256([]byte(content))
	return key.Key{Variety: "SHA256E", Size: int64(len(content)), HasSize: true, Name: hex.EncodeToString(sum[:]) + ".txt"}
}

// fakeSleep advances a fake clock instead of sleeping and records what it
// was asked to wait. extra, when set, runs on each call (to simulate
// progress made while "sleeping"). gate, when set, makes each call wait
// for a value from it (or for ctx), so a test decides when time passes.
type fakeSleep struct {
	clk   *clock.Fake
	mu    sync.Mutex
	log   []time.Duration
	extra func(n int)
	gate  chan struct{}
}

func (f *fakeSleep) sleep(ctx context.Context, d time.Duration) error {
	if f.gate != nil {
		select {
		case <-ctx.Done():
		case <-f.gate:
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	f.log = append(f.log, d)
	n := len(f.log)
	f.mu.Unlock()
	f.clk.Advance(d)
	if f.extra != nil {
		f.extra(n)
	}
	return ctx.Err()
}

func (f *fakeSleep) slept() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.log...)
}

var startTime = time.Unix(1795219731, 843278225)

// testEngine returns an Engine over a fresh object store with a fake clock
// and sleeper, and stall detection off unless opts asks for it.
func testEngine(t testing.TB, opts Options) (*Engine, *objectstore.Store, *fakeSleep) {
	t.Helper()
	annex := filepath.Join(t.TempDir(), ".git", "annex")
	s := objectstore.Open(annex, objectstore.Options{})
	t.Cleanup(func() { s.Close() })
	fs := &fakeSleep{clk: clock.NewFake(startTime)}
	opts.AnnexDir = annex
	if opts.Stall.Mode == StallUnset {
		// The default probe would make fake sleeps of its own; tests of
		// stall detection ask for it explicitly.
		opts.Stall.Mode = StallOff
	}
	if opts.Clock == nil {
		opts.Clock = fs.clk
	}
	if opts.Sleep == nil {
		opts.Sleep = fs.sleep
	}
	return New(s, opts), s, fs
}

// recorder is a caller's meter that also collects Reporter messages.
type recorder struct {
	*progress.Counter
	mu    sync.Mutex
	notes []string
	warns []string
}

func newRecorder() *recorder { return &recorder{Counter: progress.NewCounter(0, nil, nil)} }

func (r *recorder) Note(s string) { r.mu.Lock(); r.notes = append(r.notes, s); r.mu.Unlock() }
func (r *recorder) Warn(s string) { r.mu.Lock(); r.warns = append(r.warns, s); r.mu.Unlock() }

var _ Reporter = (*recorder)(nil)
