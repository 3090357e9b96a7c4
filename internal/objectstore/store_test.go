package objectstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/testutil"
)

// helloKey is the key of "hello world\n" as a.txt (verified against
// git-annex in the internals digest: J7/0G/ mixed, e7d/d01/ lower).
const helloKey = "SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt"

func mustKey(t testing.TB, s string) key.Key {
	t.Helper()
	k, err := key.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newStore(t testing.TB, opts Options) (*Store, string) {
	t.Helper()
	dir := testutil.TempDir(t)
	annex := filepath.Join(dir, ".git", "annex")
	s := Open(annex, opts)
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func writeFile(t testing.TB, path, content string, mode fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func perm(t testing.TB, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func sha256Key(content, ext string) key.Key {
	sum := sha256.Sum256([]byte(content))
	return key.Key{Variety: "SHA256E", Size: int64(len(content)), HasSize: true, Name: hex.EncodeToString(sum[:]) + ext}
}

func TestObjectPathLayouts(t *testing.T) {
	k := mustKey(t, helloKey)
	tests := []struct {
		opts Options
		want string
	}{
		{Options{}, "J7/0G/"},
		{Options{Bare: true}, "e7d/d01/"},
		{Options{ObjectHashLower: true}, "e7d/d01/"},
		{Options{OneLevel: true}, "J7/"},
		{Options{OneLevel: true, Bare: true}, "e7d/"},
	}
	for _, tc := range tests {
		s := Open("/r/.git/annex", tc.opts)
		want := "/r/.git/annex/objects/" + tc.want + helloKey + "/" + helloKey
		if got := s.ObjectPath(k); got != want {
			t.Errorf("%+v: ObjectPath = %s, want %s", tc.opts, got, want)
		}
		if got := s.HashDir(k); got != tc.want {
			t.Errorf("%+v: HashDir = %s, want %s", tc.opts, got, tc.want)
		}
	}
}

func TestFindOrder(t *testing.T) {
	k := mustKey(t, helloKey)
	for _, bare := range []bool{false, true} {
		s, _ := newStore(t, Options{Bare: bare})
		mixed := filepath.Join(s.ObjectsDir(), "J7/0G", helloKey, helloKey)
		lower := filepath.Join(s.ObjectsDir(), "e7d/d01", helloKey, helloKey)
		if p, ok, err := s.Find(k); err != nil || ok || p != s.ObjectPath(k) {
			t.Fatalf("bare=%v empty: %s %v %v", bare, p, ok, err)
		}
		// Only the secondary location: found there.
		second, first := lower, mixed
		if bare {
			second, first = mixed, lower
		}
		writeFile(t, second, "hello world\n", 0o444)
		if p, ok, err := s.Find(k); err != nil || !ok || p != second {
			t.Fatalf("bare=%v secondary only: %s %v %v", bare, p, ok, err)
		}
		writeFile(t, first, "hello world\n", 0o444)
		if p, ok, err := s.Find(k); err != nil || !ok || p != first {
			t.Fatalf("bare=%v both: %s %v %v", bare, p, ok, err)
		}
		var keys []string
		for k, err := range s.Keys(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, k.String())
		}
		if diff := cmp.Diff([]string{helloKey}, keys); diff != "" {
			t.Fatalf("bare=%v Keys with both locations (-want +got):\n%s", bare, diff)
		}
	}
}

func TestIngestMove(t *testing.T) {
	s, dir := newStore(t, Options{})
	src := filepath.Join(dir, "a.txt")
	writeFile(t, src, "hello world\n", 0o640)
	k, err := s.IngestMove(context.Background(), src, backend.Default(), "a.txt", 4)
	if err != nil {
		t.Fatal(err)
	}
	if k.String() != helloKey {
		t.Fatalf("key %s, want %s", k, helloKey)
	}
	obj := filepath.Join(dir, ".git/annex/objects/J7/0G", helloKey, helloKey)
	if got, _ := os.ReadFile(obj); string(got) != "hello world\n" {
		t.Fatalf("object content %q", got)
	}
	if got := perm(t, obj); got != 0o440 {
		t.Errorf("object mode %v, want 0440 (0640 minus write bits)", got)
	}
	if got := perm(t, filepath.Dir(obj)); got != 0o555 {
		t.Errorf("key dir mode %v, want 0555", got)
	}
	if got, err := os.ReadFile(src); err != nil || string(got) != "hello world\n" {
		t.Errorf("source not left in place for the caller to replace: %q, %v", got, err)
	}
	assertEmpty(t, filepath.Join(dir, ".git/annex/othertmp"))

	// A duplicate is discarded, the existing object kept.
	writeFile(t, src, "hello world\n", 0o644)
	before, _ := os.Stat(obj)
	if k2, err := s.IngestMove(context.Background(), src, backend.Default(), "a.txt", 4); err != nil || k2 != k {
		t.Fatalf("duplicate: %v %v", k2, err)
	}
	after, _ := os.Stat(obj)
	if !os.SameFile(before, after) {
		t.Error("duplicate ingest replaced the existing object")
	}
	if _, err := os.Lstat(src); err != nil {
		t.Errorf("duplicate source not left in place: %v", err)
	}
	assertEmpty(t, filepath.Join(dir, ".git/annex/othertmp"))
}

func TestIngestMoveFailureRestoresSource(t *testing.T) {
	s, dir := newStore(t, Options{})
	src := filepath.Join(dir, "big.bin")
	content := strings.Repeat("x", 5<<20)
	writeFile(t, src, content, 0o664)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.IngestMove(ctx, src, backend.Default(), "big.bin", 4); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want Canceled", err)
	}
	if got, _ := os.ReadFile(src); string(got) != content {
		t.Fatal("source content changed")
	}
	if got := perm(t, src); got != 0o664 {
		t.Fatalf("source mode %v, want 0664", got)
	}
	assertEmpty(t, filepath.Join(dir, ".git/annex/othertmp"))
	assertNoObjects(t, s)

	// A source with other hard links is copied, and the other link survives.
	other := filepath.Join(dir, "other")
	if err := os.Link(src, other); err != nil {
		t.Fatal(err)
	}
	k, err := s.IngestMove(context.Background(), src, backend.Default(), "big.bin", 4)
	if err != nil {
		t.Fatal(err)
	}
	if got := perm(t, other); got != 0o664 {
		t.Fatalf("other link mode %v, want 0664 untouched", got)
	}
	obj, ok, _ := s.Find(k)
	fo, _ := os.Stat(other)
	fobj, _ := os.Stat(obj)
	if !ok || os.SameFile(fo, fobj) {
		t.Fatal("object shares an inode with another link of the source")
	}
	if err := s.Verify(context.Background(), k, false); err != nil {
		t.Fatal(err)
	}
}

func TestIngestMoveWORM(t *testing.T) {
	s, dir := newStore(t, Options{})
	src := filepath.Join(dir, "w.dat")
	writeFile(t, src, "worm", 0o644)
	fi, _ := os.Stat(src)
	b, err := backend.Lookup("WORM")
	if err != nil {
		t.Fatal(err)
	}
	k, err := s.IngestMove(context.Background(), src, b, "w.dat", 4)
	if err != nil {
		t.Fatal(err)
	}
	if want := backend.WORMKey("w.dat", 4, fi.ModTime().Unix()); k != want {
		t.Fatalf("key %s, want %s", k, want)
	}
	if ok, _ := s.Has(k); !ok {
		t.Fatal("WORM object missing")
	}
}

func TestIngestCopy(t *testing.T) {
	for _, thin := range []bool{false, true} {
		s, dir := newStore(t, Options{Thin: thin})
		src := filepath.Join(dir, "u.txt")
		writeFile(t, src, "unlocked\n", 0o644)
		k, err := s.IngestCopy(context.Background(), src, backend.Default(), "u.txt", 4)
		if err != nil {
			t.Fatal(err)
		}
		if want := sha256Key("unlocked\n", ".txt"); k != want {
			t.Fatalf("key %s, want %s", k, want)
		}
		obj, ok, _ := s.Find(k)
		if !ok {
			t.Fatal("object missing")
		}
		fs1, _ := os.Stat(src)
		fs2, _ := os.Stat(obj)
		wantMode := fs.FileMode(0o444)
		if thin {
			wantMode = 0o644
		}
		if os.SameFile(fs1, fs2) != thin || perm(t, obj) != wantMode || perm(t, src) != 0o644 {
			t.Fatalf("thin=%v: same inode %v, object mode %v, source mode %v", thin,
				os.SameFile(fs1, fs2), perm(t, obj), perm(t, src))
		}
		if got := perm(t, filepath.Dir(obj)); got != 0o555 {
			t.Fatalf("thin=%v: key dir mode %v", thin, got)
		}
	}
}

func TestIngestKnown(t *testing.T) {
	s, dir := newStore(t, Options{})
	ctx := context.Background()
	k := sha256Key("payload", "")
	bad := sha256Key("payloaX", "")
	bad.Name = k.Name[:len(k.Name)-1] + "0" // right size, wrong digest

	err := s.IngestKnown(ctx, bad, strings.NewReader("payload"))
	var be *BadContentError
	if !errors.As(err, &be) || !errors.Is(err, ErrBadContent) || be.WrongSize {
		t.Fatalf("bad digest: %v", err)
	}
	if _, err := os.Lstat(s.TmpPath(bad)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("bad content left in tmp")
	}

	// An interrupted transfer keeps its partial data for resumption.
	if err := s.IngestKnown(ctx, k, iotest.TimeoutReader(strings.NewReader("pay"))); err == nil {
		t.Fatal("interrupted read succeeded")
	}
	if got, _ := os.ReadFile(s.TmpPath(k)); len(got) == 0 {
		t.Fatal("partial data not kept")
	}
	// Resume: complete the tmp file and commit it.
	writeFile(t, s.TmpPath(k), "payload", 0o644)
	if err := s.IngestTmp(ctx, k); err != nil {
		t.Fatal(err)
	}
	if err := s.Verify(ctx, k, false); err != nil {
		t.Fatal(err)
	}
	obj, _, _ := s.Find(k)
	if perm(t, obj) != 0o444 {
		t.Fatalf("object mode %v", perm(t, obj))
	}
	assertEmpty(t, filepath.Join(dir, ".git/annex/tmp"))

	// Keys that cannot be hashed are checked by size only.
	u := backend.URLKey("http://example.com/f", 3, true)
	if err := s.IngestKnown(ctx, u, strings.NewReader("abcd")); !errors.Is(err, ErrBadContent) {
		t.Fatalf("URL key wrong size: %v", err)
	}
	if err := s.IngestKnown(ctx, u, strings.NewReader("abc")); err != nil {
		t.Fatalf("URL key right size: %v", err)
	}
	// Present content is not read again.
	if err := s.IngestKnown(ctx, u, iotest.ErrReader(errors.New("must not read"))); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyAndMoveToBad(t *testing.T) {
	s, dir := newStore(t, Options{})
	ctx := context.Background()
	src := filepath.Join(dir, "a.txt")
	writeFile(t, src, "hello world\n", 0o644)
	k, err := s.IngestMove(ctx, src, backend.Default(), "a.txt", 4)
	if err != nil {
		t.Fatal(err)
	}
	obj, _, _ := s.Find(k)
	// Corrupt the object in place, same size.
	os.Chmod(obj, 0o644)
	writeFile(t, obj, "hello World\n", 0o444)
	if err := s.Verify(ctx, k, true); err != nil {
		t.Fatalf("fast verify of same-size corruption: %v", err)
	}
	err = s.Verify(ctx, k, false)
	var be *BadContentError
	if !errors.As(err, &be) || be.WrongSize || !errors.Is(err, backend.ErrMismatch) {
		t.Fatalf("verify corrupt: %v", err)
	}
	writeFile(t, obj, "hello world!\n", 0o444)
	if err := s.Verify(ctx, k, true); !errors.As(err, &be) || !be.WrongSize || be.Size != 13 {
		t.Fatalf("fast verify wrong size: %v", err)
	}
	dest, err := s.MoveToBad(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if dest != filepath.Join(dir, ".git/annex/bad", helloKey) {
		t.Fatalf("bad path %s", dest)
	}
	if got, _ := os.ReadFile(dest); string(got) != "hello world!\n" {
		t.Fatalf("bad content %q", got)
	}
	if _, err := os.Lstat(filepath.Dir(obj)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("key dir left after MoveToBad")
	}
	if err := s.Verify(ctx, k, false); !errors.Is(err, ErrNotPresent) {
		t.Fatalf("verify after MoveToBad: %v", err)
	}
}

func TestKeysSkipsJunk(t *testing.T) {
	s, dir := newStore(t, Options{})
	ctx := context.Background()
	var want []string
	for i, c := range []string{"one", "two", "three"} {
		src := filepath.Join(dir, c)
		writeFile(t, src, c, 0o644)
		k, err := s.IngestMove(ctx, src, backend.Default(), c+".txt", 4)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, k.String())
		if i == 0 {
			l, err := s.LockShared(ctx, k) // leaves no .lck after release, but exercise it
			if err != nil {
				t.Fatal(err)
			}
			defer l.Release()
		}
	}
	objs := s.ObjectsDir()
	writeFile(t, filepath.Join(objs, "stray"), "x", 0o644)
	writeFile(t, filepath.Join(objs, "J7", "junk"), "x", 0o644)
	os.MkdirAll(filepath.Join(objs, "J7/0G/not-a-key"), 0o755)
	os.MkdirAll(filepath.Join(objs, "J7/0G", helloKey), 0o755) // empty key dir
	var got []string
	for k, err := range s.Keys(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, k.String())
	}
	sort.Strings(got)
	sort.Strings(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Keys (-want +got):\n%s", diff)
	}
}

func TestContentLocks(t *testing.T) {
	s, dir := newStore(t, Options{})
	ctx := context.Background()
	src := filepath.Join(dir, "a.txt")
	writeFile(t, src, "hello world\n", 0o644)
	k, err := s.IngestMove(ctx, src, backend.Default(), "a.txt", 4)
	if err != nil {
		t.Fatal(err)
	}
	obj, _, _ := s.Find(k)
	sh, err := s.LockShared(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if perm(t, filepath.Dir(obj)) != 0o555 {
		t.Fatal("key dir not re-frozen after creating the lock file")
	}
	if _, err := s.LockForRemoval(ctx, k); !errors.Is(err, ErrContentLocked) {
		t.Fatalf("LockForRemoval under shared lock: %v", err)
	}
	if err := s.Drop(ctx, k); !errors.Is(err, ErrContentLocked) {
		t.Fatalf("Drop under shared lock: %v", err)
	}
	sh2, err := s.LockShared(ctx, k)
	if err != nil {
		t.Fatalf("second shared lock: %v", err)
	}
	if err := sh.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(obj + ".lck"); err != nil {
		t.Fatal("lock file removed while another shared lock is held")
	}
	if err := sh2.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(obj + ".lck"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("lock file left after last shared release")
	}

	rm, err := s.LockForRemoval(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LockShared(ctx, k); !errors.Is(err, ErrContentLocked) {
		t.Fatalf("LockShared during removal: %v", err)
	}
	if err := rm.Remove(); err != nil {
		t.Fatal(err)
	}
	if err := rm.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Dir(obj)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("key dir left after removal")
	}
	if _, err := os.Lstat(filepath.Dir(filepath.Dir(obj))); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("empty hash dir left after removal")
	}
	if err := s.Drop(ctx, k); err != nil {
		t.Fatalf("Drop of absent content: %v", err)
	}
	if _, err := s.LockShared(ctx, k); !errors.Is(err, ErrNotPresent) {
		t.Fatalf("LockShared of absent content: %v", err)
	}
	// Content can be added again after a drop.
	writeFile(t, src, "hello world\n", 0o644)
	if _, err := s.IngestMove(ctx, src, backend.Default(), "a.txt", 4); err != nil {
		t.Fatal(err)
	}
	if err := s.Drop(ctx, k); err != nil {
		t.Fatal(err)
	}
	assertNoObjects(t, s)
}

func assertEmpty(t testing.TB, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	if len(ents) != 0 {
		t.Fatalf("%s not empty: %v", dir, ents)
	}
}

func assertNoObjects(t testing.TB, s *Store) {
	t.Helper()
	filepath.WalkDir(s.ObjectsDir(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("unexpected file under objects: %s", p)
		}
		return nil
	})
}
