package chunked

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
)

// content writes b to a file named name and returns its SHA256E key and
// the Source of the whole file.
func content(t *testing.T, name, b string) (key.Key, remote.Source) {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(b), 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := backend.HashFile(context.Background(), p, backend.Default(), backend.DefaultMaxExtensionLength)
	if err != nil {
		t.Fatal(err)
	}
	return k, remote.Source{Path: p, Size: -1, File: name}
}

// files lists the regular files under dir, relative to it, with sizes.
func files(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = fi.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// retrieve gets k into a fresh file sink and returns what it holds.
func retrieve(t *testing.T, r remote.Remote, k key.Key) string {
	t.Helper()
	s, err := remotetest.NewFileSink(filepath.Join(t.TempDir(), "dst"))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Retrieve(context.Background(), k, s, progress.Discard); err != nil {
		s.Close()
		t.Fatal(err)
	}
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestConformance(t *testing.T) {
	for _, size := range []string{"30000", "1MiB", "1"} {
		t.Run("chunk="+size, func(t *testing.T) {
			opts := remotetest.Options{Size: 100_000, Large: 3_000_000}
			if size == "1" {
				opts = remotetest.Options{Size: 64, Large: -1, Concurrency: 2}
			}
			remotetest.Run(t, func(t *testing.T) remote.Remote {
				return wrap(t, dirRemote(remotetest.WritableTempDir(t)), remotetest.NewHost(t), size)
			}, opts)
		})
	}
}

// git-annex 10.20230126 stored "hello world\n" (12 bytes) through a
// directory remote with chunk=5b as three key directories in the key's
// hash directory and recorded "UUID:5 3" in the chunk log.
func TestLayoutAsGitAnnex(t *testing.T) {
	dir := remotetest.WritableTempDir(t)
	h := remotetest.NewHost(t)
	r := wrap(t, dirRemote(dir), h, "5b")
	k, src := content(t, "a.txt", "hello world\n")
	if k.String() != "SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt" {
		t.Fatalf("key %s", k)
	}
	if err := r.Store(context.Background(), k, src, progress.Discard); err != nil {
		t.Fatal(err)
	}
	const name = "SHA256E-s12-S5-C%d--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt"
	want := map[string]int64{}
	for i, n := range []int64{5, 5, 2} {
		f := strings.Replace(name, "%d", string(rune('1'+i)), 1)
		want["e7d/d01/"+f+"/"+f] = n
	}
	if diff := cmp.Diff(want, files(t, dir)); diff != "" {
		t.Errorf("remote files (-git-annex +ours):\n%s", diff)
	}
	if diff := cmp.Diff(map[int64]int64{5: 3}, chunkLog(t, h, k)); diff != "" {
		t.Errorf("chunk log (-git-annex +ours):\n%s", diff)
	}
	if got := retrieve(t, r, k); got != "hello world\n" {
		t.Errorf("retrieved %q", got)
	}
}

// An empty file is stored as one empty chunk (git-annex:
// 5f5/ae2/SHA256E-s0-S5-C1--e3b0….dat, chunk log count 1).
func TestEmptyContentIsOneChunk(t *testing.T) {
	dir := remotetest.WritableTempDir(t)
	h := remotetest.NewHost(t)
	r := wrap(t, dirRemote(dir), h, "5b")
	k, src := content(t, "empty.dat", "")
	if err := r.Store(context.Background(), k, src, progress.Discard); err != nil {
		t.Fatal(err)
	}
	f := "SHA256E-s0-S5-C1--e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.dat"
	if diff := cmp.Diff(map[string]int64{"5f5/ae2/" + f + "/" + f: 0}, files(t, dir)); diff != "" {
		t.Errorf("remote files (-git-annex +ours):\n%s", diff)
	}
	if diff := cmp.Diff(map[int64]int64{5: 1}, chunkLog(t, h, k)); diff != "" {
		t.Errorf("chunk log (-git-annex +ours):\n%s", diff)
	}
	if ok, err := r.CheckPresent(context.Background(), k); !ok || err != nil {
		t.Errorf("CheckPresent = %v, %v", ok, err)
	}
}

// A store interrupted after chunk 2 leaves chunks 1 and 2 and no chunk
// log entry; the next store sends only chunks 3 and on.
func TestStoreResumesAfterStoredChunks(t *testing.T) {
	dir := remotetest.WritableTempDir(t)
	h := remotetest.NewHost(t)
	base := &spy{Remote: dirRemote(dir)}
	r := wrap(t, base, h, "4")
	k, src := content(t, "f.bin", "0123456789abcdefghij") // 5 chunks of 4
	chunkKey := func(n int64) string { return k.Chunk(4, n).String() }
	base.failStore = k.Chunk(4, 3)
	err := r.Store(context.Background(), k, src, progress.Discard)
	if !errors.Is(err, errInjected) {
		t.Fatalf("interrupted store: %v", err)
	}
	if len(chunkLog(t, h, k)) != 0 {
		t.Fatalf("chunk log written for an incomplete store: %v", chunkLog(t, h, k))
	}
	if ok, err := r.CheckPresent(context.Background(), k); ok || err != nil {
		t.Fatalf("CheckPresent of a partial store = %v, %v", ok, err)
	}
	base.reset()
	base.failStore = key.Key{}
	m := &countMeter{}
	if err := r.Store(context.Background(), k, src, m); err != nil {
		t.Fatal(err)
	}
	want := []string{chunkKey(3), chunkKey(4), chunkKey(5)}
	if diff := cmp.Diff(want, base.stored); diff != "" {
		t.Errorf("resumed store sent (-want +got):\n%s", diff)
	}
	if m.total != 20 || m.added != 20 {
		t.Errorf("progress of the resumed store: %d of %d bytes, want 20 of 20", m.added, m.total)
	}
	if diff := cmp.Diff(map[int64]int64{4: 5}, chunkLog(t, h, k)); diff != "" {
		t.Errorf("chunk log:\n%s", diff)
	}
	if got := retrieve(t, r, k); got != "0123456789abcdefghij" {
		t.Errorf("retrieved %q", got)
	}
	// Storing again finds every chunk and sends nothing.
	base.reset()
	if err := r.Store(context.Background(), k, src, progress.Discard); err != nil || len(base.stored) != 0 {
		t.Errorf("store of a stored key: %v, sent %v", err, base.stored)
	}
}

// Content that fits in one chunk is not checked for resume: git-annex
// would not store it if it were there.
func TestSingleChunkStoreDoesNotProbe(t *testing.T) {
	k, src := content(t, "a", "small")
	probe := &probeCounter{Remote: dirRemote(remotetest.WritableTempDir(t))}
	r := wrap(t, probe, remotetest.NewHost(t), "1MiB")
	if err := r.Store(context.Background(), k, src, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if probe.checks != 0 {
		t.Errorf("%d presence checks before storing a single chunk", probe.checks)
	}
}

type probeCounter struct {
	remote.Remote
	checks int
}

func (p *probeCounter) CheckPresent(ctx context.Context, k key.Key) (bool, error) {
	p.checks++
	return p.Remote.CheckPresent(ctx, k)
}

// A download interrupted in chunk 2 resumes at the start of chunk 2: the
// bytes of chunk 2 already in the sink are cut off (they may be wrong)
// and only chunks 2..n are asked of the remote.
func TestRetrieveResumesAtChunkBoundary(t *testing.T) {
	const data = "0123456789abcdefghij"
	dir := remotetest.WritableTempDir(t)
	base := &spy{Remote: dirRemote(dir)}
	r := wrap(t, base, remotetest.NewHost(t), "4")
	k, src := content(t, "f.bin", data)
	if err := r.Store(context.Background(), k, src, progress.Discard); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		have      string
		truncates bool
		want      []int64 // chunk numbers retrieved
		cut       []int64
	}{
		{"mid-chunk, truncating sink", "012345X", true, []int64{2, 3, 4, 5}, []int64{4}},
		{"at a boundary", "01234567", true, []int64{3, 4, 5}, nil},
		{"mid-chunk, plain sink", "012345X", false, []int64{1, 2, 3, 4, 5}, nil},
		{"within chunk 1", "01", true, []int64{1, 2, 3, 4, 5}, []int64{0}},
		{"complete", data, true, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "dst")
			if err := os.WriteFile(p, []byte(c.have), 0o644); err != nil {
				t.Fatal(err)
			}
			fs, err := remotetest.NewFileSink(p)
			if err != nil {
				t.Fatal(err)
			}
			var sink remote.Sink = fs
			ts := &truncSink{FileSink: fs}
			if c.truncates {
				sink = ts
			}
			base.reset()
			if err := r.Retrieve(context.Background(), k, sink, progress.Discard); err != nil {
				t.Fatal(err)
			}
			b, err := fs.Bytes()
			if err != nil || string(b) != data {
				t.Fatalf("sink holds %q, %v", b, err)
			}
			var want []string
			for _, n := range c.want {
				want = append(want, k.Chunk(4, n).String())
			}
			if diff := cmp.Diff(want, base.retrieved); diff != "" {
				t.Errorf("chunks retrieved (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.cut, ts.truncated); diff != "" {
				t.Errorf("truncations (-want +got):\n%s", diff)
			}
		})
	}
}

// Content stored with an earlier chunk size (or unchunked, before
// chunking was configured) is still found, checked and removed; removal
// records count 0 for each chunk size.
func TestEarlierChunkSizesAndUnchunked(t *testing.T) {
	dir := remotetest.WritableTempDir(t)
	h := remotetest.NewHost(t)
	base := dirRemote(dir)
	ctx := context.Background()
	k1, src1 := content(t, "one", "content stored in chunks of five")
	k2, src2 := content(t, "two", "content stored whole")
	if err := wrap(t, base, h, "5").Store(ctx, k1, src1, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if err := base.Store(ctx, k2, src2, progress.Discard); err != nil {
		t.Fatal(err)
	}
	r := wrap(t, base, h, "7")
	for k, want := range map[key.Key]string{k1: "content stored in chunks of five", k2: "content stored whole"} {
		if ok, err := r.CheckPresent(ctx, k); !ok || err != nil {
			t.Errorf("CheckPresent(%s) = %v, %v", k, ok, err)
		}
		if got := retrieve(t, r, k); got != want {
			t.Errorf("retrieved %q, want %q", got, want)
		}
		if err := r.Remove(ctx, k); err != nil {
			t.Fatal(err)
		}
		if ok, err := r.CheckPresent(ctx, k); ok || err != nil {
			t.Errorf("CheckPresent(%s) after Remove = %v, %v", k, ok, err)
		}
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("files left after Remove: %v", got)
	}
	// git-annex's removeChunks sets 0 for every chunk size it tried:
	// the recorded one and the current configuration's.
	if diff := cmp.Diff(map[int64]int64{5: 0, 7: 0}, chunkLog(t, h, k1)); diff != "" {
		t.Errorf("chunk log of k1 after Remove:\n%s", diff)
	}
	if diff := cmp.Diff(map[int64]int64{7: 0}, chunkLog(t, h, k2)); diff != "" {
		t.Errorf("chunk log of k2 after Remove:\n%s", diff)
	}
	err := retrieveErr(r, k1)
	if !errors.Is(err, remote.ErrNotPresent) {
		t.Errorf("Retrieve after Remove: %v, want ErrNotPresent", err)
	}
}

func retrieveErr(r remote.Remote, k key.Key) error {
	dir, err := os.MkdirTemp("", "chunked")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	s, err := remotetest.NewFileSink(filepath.Join(dir, "dst"))
	if err != nil {
		return err
	}
	defer s.Close()
	return r.Retrieve(context.Background(), k, s, progress.Discard)
}

// URL keys are not stable: git-annex stores them whole on chunked remotes.
func TestUnstableKeysStoredWhole(t *testing.T) {
	dir := remotetest.WritableTempDir(t)
	h := remotetest.NewHost(t)
	r := wrap(t, dirRemote(dir), h, "2")
	_, src := content(t, "u", "from the web")
	k := backend.URLKey("http://example.com/u", 12, true)
	if err := r.Store(context.Background(), k, src, progress.Discard); err != nil {
		t.Fatal(err)
	}
	f := k.File()
	if diff := cmp.Diff(map[string]int64{k.HashDirLower() + f + "/" + f: 12}, files(t, dir)); diff != "" {
		t.Errorf("remote files:\n%s", diff)
	}
	if h.ChunkCountWrites() != 0 {
		t.Errorf("chunk log written for an unchunked key: %v", chunkLog(t, h, k))
	}
	if got := retrieve(t, r, k); got != "from the web" {
		t.Errorf("retrieved %q", got)
	}
}

// Remotes whose helper writes the file Path names (rsync, external) get
// a file per chunk, which the decorator appends to the sink.
func TestBaseWritingPath(t *testing.T) {
	dir := remotetest.WritableTempDir(t)
	h := remotetest.NewHost(t)
	r := wrap(t, pathWriter{dirRemote(dir)}, h, "3")
	k, src := content(t, "p", "written by a helper")
	if err := r.Store(context.Background(), k, src, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if got := retrieve(t, r, k); got != "written by a helper" {
		t.Errorf("retrieved %q", got)
	}
	if left, _ := os.ReadDir(h.TmpDir()); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// Progress across chunks adds up to the whole content, whatever the base
// remote reports as each chunk's total.
func TestProgressAddsUp(t *testing.T) {
	r := wrap(t, dirRemote(remotetest.WritableTempDir(t)), remotetest.NewHost(t), "1000")
	data := strings.Repeat("x", 4321)
	k, src := content(t, "big", data)
	m := &countMeter{}
	if err := r.Store(context.Background(), k, src, m); err != nil {
		t.Fatal(err)
	}
	if m.total != 4321 || m.added != 4321 {
		t.Errorf("store progress %d of %d", m.added, m.total)
	}
	s, err := remotetest.NewFileSink(filepath.Join(t.TempDir(), "dst"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m = &countMeter{}
	if err := r.Retrieve(context.Background(), k, s, m); err != nil {
		t.Fatal(err)
	}
	if m.total != 4321 || m.added != 4321 {
		t.Errorf("retrieve progress %d of %d", m.added, m.total)
	}
}

// A store of a Source section (the chunk offsets are relative to it).
func TestStoreSection(t *testing.T) {
	r := wrap(t, dirRemote(remotetest.WritableTempDir(t)), remotetest.NewHost(t), "3")
	k, _ := content(t, "s", "middle part")
	p := filepath.Join(t.TempDir(), "whole")
	if err := os.WriteFile(p, []byte("<<middle part>>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := r.Store(context.Background(), k, remote.Source{Path: p, Offset: 2, Size: 11}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if got := retrieve(t, r, k); got != "middle part" {
		t.Errorf("retrieved %q", got)
	}
}

func TestWrapUnchunked(t *testing.T) {
	base := dirRemote(remotetest.WritableTempDir(t))
	for _, cfg := range []remote.Config{
		{"type": "directory"},
		{"chunk": "0"},
		{"chunksize": "5b"}, // legacy chunking is the remote type's own
		{"chunk": "5b", "chunksize": "5b"},
	} {
		r, err := Wrap(base, remote.Params{Name: "d", Config: cfg})
		if err != nil || r != remote.Remote(base) {
			t.Errorf("Wrap(%v) = %T, %v; want the base remote", cfg, r, err)
		}
	}
	_, err := Wrap(nil, remote.Params{Name: "dchunk", Config: remote.Config{"chunk": "abc"}})
	if err == nil || !strings.Contains(err.Error(), "bad configuration chunk=abc") || !strings.Contains(err.Error(), "dchunk") {
		t.Errorf("Wrap with chunk=abc: %v", err)
	}
}

// Wrap(nil, p) only validates the config (initremote's check).
func TestWrapValidatesWithoutRemote(t *testing.T) {
	if _, err := Wrap(nil, remote.Params{Name: "d", Config: remote.Config{"chunk": "5b"}}); err != nil {
		t.Errorf("Wrap(nil) of a good config: %v", err)
	}
}

func TestWrapKeepsAbilities(t *testing.T) {
	r := wrap(t, dirRemote(remotetest.WritableTempDir(t)), remotetest.NewHost(t), "5")
	ir, ok := r.(remote.InfoReporter)
	if !ok || ir.Type() != "directory" {
		t.Fatalf("chunked directory remote does not report its type: %T", r)
	}
	if a, ok := r.(remote.Availabler); !ok || a.Availability() != remote.LocallyAvailable {
		t.Errorf("availability not kept")
	}
	if _, ok := r.(remote.ContentLocker); ok {
		t.Errorf("chunked remote claims ContentLocker")
	}
	plain := wrap(t, &spy{Remote: dirRemote(remotetest.WritableTempDir(t))}, remotetest.NewHost(t), "5")
	if _, ok := plain.(remote.InfoReporter); ok {
		t.Errorf("InfoReporter invented for a base without it")
	}
	if c, ok := plain.(*Remote); !ok || c.ChunkSize() != 5 || !slices.Contains([]string{"dchunk"}, c.Unwrap().Name()) {
		t.Errorf("Unwrap/ChunkSize: %T", plain)
	}
}
