package encrypted

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
)

// recMeter records what a transfer reports.
type recMeter struct {
	mu          sync.Mutex
	total, done int64
}

func (m *recMeter) SetTotal(n int64) { m.mu.Lock(); m.total = n; m.mu.Unlock() }
func (m *recMeter) Add(n int64)      { m.mu.Lock(); m.done += n; m.mu.Unlock() }

func TestScaledMeterEndsAtPlaintextSize(t *testing.T) {
	var m recMeter
	s := &scaledMeter{m: &m, plain: 1000, cipher: 1041}
	s.SetTotal(1041)
	for _, n := range []int64{1, 500, 7, 300, 233} {
		s.Add(n)
		if m.done > 1000 {
			t.Fatalf("progress %d beyond the plaintext size", m.done)
		}
	}
	if m.total != 1000 || m.done != 1000 {
		t.Errorf("meter at %d of %d, want 1000 of 1000", m.done, m.total)
	}
}

// storeRandom stores size random bytes under a key of that size and
// returns them with the key.
func storeRandom(t *testing.T, r remote.Remote, size int, m progress.Meter) ([]byte, key.Key) {
	t.Helper()
	data := make([]byte, size)
	rand.Read(data)
	src := filepath.Join(t.TempDir(), "src")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := key.Parse("SHA256E-s" + strconv.Itoa(size) + "--" + strings.Repeat("a", 64))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Store(context.Background(), k, remote.Source{Path: src, Size: -1}, m); err != nil {
		t.Fatal(err)
	}
	return data, k
}

// TestProgressCountsPlaintext: storing and retrieving report the
// content's size, not the ciphertext's.
func TestProgressCountsPlaintext(t *testing.T) {
	r := wrapDirectory(t, "", sharedConfig(t))
	var sm recMeter
	data, k := storeRandom(t, r, 300<<10, &sm)
	if sm.total != int64(len(data)) || sm.done != int64(len(data)) {
		t.Errorf("store progress %d of %d, want %d of %d", sm.done, sm.total, len(data), len(data))
	}
	sink, err := remotetest.NewFileSink(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	var rm recMeter
	if err := r.Retrieve(context.Background(), k, sink, &rm); err != nil {
		t.Fatal(err)
	}
	if rm.total != int64(len(data)) || rm.done != int64(len(data)) {
		t.Errorf("retrieve progress %d of %d, want %d of %d", rm.done, rm.total, len(data), len(data))
	}
	if got, _ := sink.Bytes(); !bytes.Equal(got, data) {
		t.Error("retrieved other content")
	}
}

// helperBase retrieves as a helper program does: it writes the whole
// ciphertext to dst.Path() itself. With cut > 0 it writes that many
// bytes through Write and fails instead, as an interrupted transfer.
type helperBase struct {
	remote.Remote
	cut int
}

func (h helperBase) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	var buf bytes.Buffer
	sink := &bufSink{&buf}
	if err := h.Remote.Retrieve(ctx, k, sink, m); err != nil {
		return err
	}
	if h.cut > 0 {
		if _, err := dst.Write(buf.Bytes()[:h.cut]); err != nil {
			return err
		}
		return errInterrupted
	}
	return os.WriteFile(dst.Path(), buf.Bytes(), 0o600)
}

var errInterrupted = errors.New("connection lost")

type bufSink struct{ b *bytes.Buffer }

func (s *bufSink) Write(p []byte) (int, error) { return s.b.Write(p) }
func (s *bufSink) Offset() int64               { return int64(s.b.Len()) }
func (s *bufSink) Restart() error              { s.b.Reset(); return nil }
func (s *bufSink) Path() string                { return "" }

// TestHelperAndInterruptedRetrieve: ciphertext a helper writes to Path
// is decrypted from there (and the file removed); a transfer that breaks
// off leaves no plaintext in the sink, and a sink holding part of the
// content is restarted.
func TestHelperAndInterruptedRetrieve(t *testing.T) {
	r := wrapDirectory(t, "", sharedConfig(t))
	data, k := storeRandom(t, r, 200<<10, progress.Discard)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		cut  int
		have string
	}{{"helper", 0, ""}, {"helper, sink holding a prefix", 0, "partial"}, {"interrupted", 100 << 10, ""}} {
		t.Run(tc.name, func(t *testing.T) {
			hr := &Remote{base: helperBase{r.base, tc.cut}, host: r.host, settings: r.settings, gpg: r.gpg}
			p := filepath.Join(t.TempDir(), "out")
			if err := os.WriteFile(p, []byte(tc.have), 0o644); err != nil {
				t.Fatal(err)
			}
			sink, err := remotetest.NewFileSink(p)
			if err != nil {
				t.Fatal(err)
			}
			defer sink.Close()
			err = hr.Retrieve(ctx, k, sink, progress.Discard)
			got, _ := sink.Bytes()
			if tc.cut > 0 {
				if !errors.Is(err, errInterrupted) || len(got) != 0 {
					t.Errorf("interrupted retrieve: %v, sink holds %d bytes", err, len(got))
				}
			} else if err != nil || !bytes.Equal(got, data) {
				t.Errorf("retrieve: %v, content equal: %v", err, bytes.Equal(got, data))
			}
			left, _ := os.ReadDir(r.host.TmpDir())
			if len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}
