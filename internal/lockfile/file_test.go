package lockfile

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// helperEnv names the lock file a re-executed test binary should lock with
// classic POSIX locks, as git-annex does.
const helperEnv = "TROVE_LOCKFILE_POSIX_HELPER"

func TestMain(m *testing.M) {
	if path := os.Getenv(helperEnv); path != "" {
		os.Exit(posixHelper(path))
	}
	os.Exit(m.Run())
}

// posixHelper reads commands from stdin ("rd", "wr", "un") and applies them
// with classic non-blocking F_SETLK, answering "ok" or "locked" per line.
func posixHelper(path string) int {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	types := map[string]int16{"rd": unix.F_RDLCK, "wr": unix.F_WRLCK, "un": unix.F_UNLCK}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		lk := unix.Flock_t{Type: types[sc.Text()]}
		switch err := unix.FcntlFlock(f.Fd(), unix.F_SETLK, &lk); {
		case err == nil:
			fmt.Println("ok")
		case errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EACCES):
			fmt.Println("locked")
		default:
			fmt.Println("error", err)
		}
	}
	return 0
}

type helper struct {
	in  io.WriteCloser
	out *bufio.Scanner
}

func startHelper(t *testing.T, path string) *helper {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+path)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.Close()
		cmd.Wait()
	})
	return &helper{in: in, out: bufio.NewScanner(out)}
}

func (h *helper) do(t *testing.T, command string) string {
	t.Helper()
	if _, err := fmt.Fprintln(h.in, command); err != nil {
		t.Fatal(err)
	}
	if !h.out.Scan() {
		t.Fatalf("helper exited: %v", h.out.Err())
	}
	return h.out.Text()
}

func openLock(t *testing.T, path string) *File {
	t.Helper()
	l, err := Open(path, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestPOSIXHolderBlocksUs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lck")
	h := startHelper(t, path)
	l := openLock(t, path)

	if got := h.do(t, "wr"); got != "ok" {
		t.Fatalf("helper wr: %s", got)
	}
	if err := l.TryShared(); !errors.Is(err, ErrLocked) {
		t.Fatalf("TryShared under foreign write lock: %v, want ErrLocked", err)
	}
	if err := l.TryExclusive(); !errors.Is(err, ErrLocked) {
		t.Fatalf("TryExclusive under foreign write lock: %v, want ErrLocked", err)
	}
	if locked, err := l.Test(); err != nil || !locked {
		t.Fatalf("Test = %v, %v; want true", locked, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := l.LockExclusive(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("LockExclusive with deadline: %v, want DeadlineExceeded", err)
	}

	// A foreign read lock admits our shared lock but not an exclusive one.
	if got := h.do(t, "rd"); got != "ok" {
		t.Fatalf("helper rd: %s", got)
	}
	if err := l.TryShared(); err != nil {
		t.Fatalf("TryShared under foreign read lock: %v", err)
	}
	if err := l.TryExclusive(); !errors.Is(err, ErrLocked) {
		t.Fatalf("TryExclusive under foreign read lock: %v, want ErrLocked", err)
	}

	// Release from the helper while we wait with a blocking, uncancellable lock.
	done := make(chan error, 1)
	go func() { done <- l.LockExclusive(context.Background()) }()
	if got := h.do(t, "un"); got != "ok" {
		t.Fatalf("helper un: %s", got)
	}
	if err := <-done; err != nil {
		t.Fatalf("LockExclusive after release: %v", err)
	}
	if got := h.do(t, "rd"); got != "locked" {
		t.Fatalf("helper rd while we hold exclusive: %s, want locked", got)
	}
}

func TestWeBlockPOSIXHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lck")
	l := openLock(t, path)
	h := startHelper(t, path)

	if err := l.TryShared(); err != nil {
		t.Fatal(err)
	}
	if got := h.do(t, "rd"); got != "ok" {
		t.Fatalf("helper rd under our shared lock: %s, want ok", got)
	}
	if got := h.do(t, "wr"); got != "locked" {
		t.Fatalf("helper wr under our shared lock: %s, want locked", got)
	}
	if got := h.do(t, "un"); got != "ok" {
		t.Fatalf("helper un: %s", got)
	}
	if err := l.LockExclusive(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := h.do(t, "rd"); got != "locked" {
		t.Fatalf("helper rd under our exclusive lock: %s, want locked", got)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	if got := h.do(t, "wr"); got != "ok" {
		t.Fatalf("helper wr after our unlock: %s, want ok", got)
	}
}

func TestTwoFilesInOneProcessConflict(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lck")
	a, b := openLock(t, path), openLock(t, path)
	if err := a.TryExclusive(); err != nil {
		t.Fatal(err)
	}
	if err := b.TryShared(); !errors.Is(err, ErrLocked) {
		t.Fatalf("second File TryShared: %v, want ErrLocked", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.TryExclusive(); err != nil {
		t.Fatalf("after first File closed: %v", err)
	}
	if err := a.Close(); !errors.Is(err, fs.ErrClosed) {
		t.Fatalf("second Close: %v, want ErrClosed", err)
	}
}

func TestSharedUpgradesInPlace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lck")
	a, b := openLock(t, path), openLock(t, path)
	if err := a.TryShared(); err != nil {
		t.Fatal(err)
	}
	if err := b.TryShared(); err != nil {
		t.Fatal(err)
	}
	if err := a.TryExclusive(); !errors.Is(err, ErrLocked) {
		t.Fatalf("upgrade while another shares: %v, want ErrLocked", err)
	}
	if err := b.Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := a.TryExclusive(); err != nil {
		t.Fatalf("upgrade when alone: %v", err)
	}
}

func TestOpenCreatesWithMode(t *testing.T) {
	old := unix.Umask(0o022)
	defer unix.Umask(old)
	path := filepath.Join(t.TempDir(), "sub.lck")
	l := openLock(t, path)
	fi, err := os.Stat(l.Path())
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Fatalf("mode %v, want 0600", got)
	}
}

func TestReadOnlyFileAllowsSharedOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ro.lck")
	if err := os.WriteFile(path, nil, 0o444); err != nil {
		t.Fatal(err)
	}
	l, err := OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.TryShared(); err != nil {
		t.Fatalf("shared on read-only fd: %v", err)
	}
	if err := l.TryExclusive(); !errors.Is(err, unix.EBADF) {
		t.Fatalf("exclusive on read-only fd: %v, want EBADF", err)
	}
	if _, err := OpenExisting(path + ".missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("OpenExisting missing: %v", err)
	}
}

func TestSameFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lck")
	l, err := Open(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if same, err := l.SameFile(); err != nil || !same {
		t.Fatalf("SameFile on a fresh lock = %v, %v", same, err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if same, err := l.SameFile(); err != nil || same {
		t.Fatalf("SameFile after removal = %v, %v", same, err)
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if same, err := l.SameFile(); err != nil || same {
		t.Fatalf("SameFile after recreation = %v, %v", same, err)
	}
}
