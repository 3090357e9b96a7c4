package objectstore

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/troveproject/trove/internal/fsutil"
)

// refusingOp is an op that creates name in dir, refusing with a
// permission error while dir has no owner write permission, as the kernel
// does for a process that may not override permissions (the tests may
// run as root, which may). It counts its calls.
func refusingOp(t *testing.T, dir, name string, calls *int) func() error {
	return func() error {
		*calls++
		fi, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o200 == 0 {
			return &fs.PathError{Op: "open", Path: filepath.Join(dir, name), Err: fs.ErrPermission}
		}
		return os.WriteFile(filepath.Join(dir, name), nil, 0o444)
	}
}

func modeOf(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// A frozen key directory that refuses a change is thawed for it and
// frozen again; after the first refusal, changes thaw first instead of
// failing once more; keepThawed leaves the directory writable.
func TestInKeyDirLearnsRefusal(t *testing.T) {
	s := Open(t.TempDir(), Options{})
	dir := filepath.Join(t.TempDir(), "KEY")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := fsutil.FreezeDir(dir, s.opts.Shared); err != nil {
		t.Fatal(err)
	}
	frozen := modeOf(t, dir)
	t.Cleanup(func() { _ = fsutil.ThawDir(dir) })

	calls := 0
	thawed, err := s.inKeyDir(dir, false, refusingOp(t, dir, "a", &calls))
	if err != nil || thawed {
		t.Fatalf("first change: thawed %v, %v", thawed, err)
	}
	if calls != 2 || !s.frozenRefuses.Load() {
		t.Errorf("first change: %d calls, refusal learned %v; want 2 calls, learned", calls, s.frozenRefuses.Load())
	}
	if m := modeOf(t, dir); m != frozen {
		t.Errorf("directory left %v, want frozen %v", m, frozen)
	}

	calls = 0
	thawed, err = s.inKeyDir(dir, true, refusingOp(t, dir, "b", &calls))
	if err != nil || !thawed || calls != 1 {
		t.Fatalf("second change: thawed %v, %d calls, %v; want thawed, 1 call", thawed, calls, err)
	}
	if m := modeOf(t, dir); m&0o200 == 0 {
		t.Errorf("keepThawed left the directory %v", m)
	}
	for _, n := range []string{"a", "b"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Error(err)
		}
	}
}

// A change the directory does not refuse runs once, and the directory is
// not touched: no thawing where none is needed.
func TestInKeyDirNoRefusal(t *testing.T) {
	s := Open(t.TempDir(), Options{})
	dir := t.TempDir()
	before := modeOf(t, dir)
	calls := 0
	thawed, err := s.inKeyDir(dir, true, func() error { calls++; return nil })
	if err != nil || thawed || calls != 1 || s.frozenRefuses.Load() {
		t.Fatalf("thawed %v, %d calls, learned %v, %v", thawed, calls, s.frozenRefuses.Load(), err)
	}
	if m := modeOf(t, dir); m != before {
		t.Errorf("mode changed from %v to %v", before, m)
	}
}
