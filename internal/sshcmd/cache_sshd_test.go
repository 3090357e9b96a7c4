package sshcmd

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/troveproject/trove/internal/testutil"
)

// helperEnv, when set, makes TestHelperHoldConnection act as a second
// process sharing the connection: it holds its client open until its
// standard input ends. The value is the ssh client configuration; the
// cache directory is in helperDirEnv.
const (
	helperEnv    = "TROVE_SSHCMD_HELPER_CONFIG"
	helperDirEnv = "TROVE_SSHCMD_HELPER_DIR"
)

// remoteConn is the remote command whose output tells which TCP
// connection ran it: the client's address and port as sshd saw them.
const remoteConn = `echo "$SSH_CONNECTION"`

func sshdClient(config, cacheDir string) *Client {
	return New(Location{Host: "annextest", Path: "/"}, Options{
		Getenv:    env(nil),
		GitConfig: cfg(map[string]string{"annex.ssh-options": "-F " + config}),
		CacheDir:  cacheDir,
	})
}

func connection(t *testing.T, c *Client) string {
	t.Helper()
	out, err := c.Output(context.Background(), remoteConn)
	if err != nil {
		t.Fatalf("ssh: %v", err)
	}
	if strings.TrimSpace(string(out)) == "" {
		t.Fatalf("ssh printed no SSH_CONNECTION")
	}
	return strings.TrimSpace(string(out))
}

// masterRunning reports whether a master answers on the socket.
func masterRunning(sock string) bool {
	return exec.Command("ssh", "-S", sock, "-O", "check", "localhost").Run() == nil
}

func isSocket(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode().Type() == fs.ModeSocket
}

func TestConnectionCachingSSHD(t *testing.T) {
	s := testutil.SSHDTest(t, os.Getenv("PATH"))
	dir := filepath.Join(testutil.TempDir(t), "annex", "ssh")
	sock := filepath.Join(dir, "annextest")

	// Two commands of one client share one connection, kept by a master.
	a := sshdClient(s.Config, dir)
	t.Cleanup(func() { a.Close(context.Background()) })
	first := connection(t, a)
	if !isSocket(sock) || !masterRunning(sock) {
		t.Fatalf("no master on %s after the first command", sock)
	}
	if again := connection(t, a); again != first {
		t.Errorf("second command used connection %q, the first %q", again, first)
	}

	// Another client (with its own lock, as another process) shares it too,
	// and a's Close leaves it to b.
	b := sshdClient(s.Config, dir)
	t.Cleanup(func() { b.Close(context.Background()) })
	if got := connection(t, b); got != first {
		t.Errorf("second client used connection %q, want %q", got, first)
	}
	if err := a.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !masterRunning(sock) {
		t.Fatalf("closing one client stopped the master the other uses")
	}
	if got := connection(t, b); got != first {
		t.Errorf("after the first client closed: connection %q, want %q", got, first)
	}

	// The last one to close stops the master and removes its socket; the
	// lock file stays for processes that wait on it.
	if err := b.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(sock); err == nil || masterRunning(sock) {
		t.Errorf("master still running after the last client closed")
	}
	if _, err := os.Stat(lockPath(sock)); err != nil {
		t.Errorf("lock file: %v", err)
	}

	// A client used again after Close starts a new master.
	second := connection(t, a)
	if second == first {
		t.Errorf("connection %q reused after the master stopped", second)
	}

	// git-annex holds the lock with a classic POSIX record lock: Close
	// leaves the master to it.
	annexLock := classicSharedLock(t, lockPath(sock))
	a.Close(context.Background())
	if !masterRunning(sock) {
		t.Fatalf("Close stopped a master that git-annex holds")
	}
	annexLock.Close()
	if got := connection(t, a); got != second {
		t.Errorf("connection %q after git-annex let go, want %q", got, second)
	}
	a.Close(context.Background())
	if isSocket(sock) {
		t.Errorf("socket left after close")
	}
}

// classicSharedLock takes a shared classic POSIX record lock on path, as
// git-annex does, through its own descriptor; closing the file drops it.
func classicSharedLock(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	lk := unix.Flock_t{Type: unix.F_RDLCK}
	if err := unix.FcntlFlock(f.Fd(), unix.F_SETLK, &lk); err != nil {
		t.Fatalf("lock %s: %v", path, err)
	}
	return f
}

// TestStaleMasterStopped: a master left by a process that ended without
// stopping it (its lock is free) is stopped when a process first uses the
// directory, as git-annex does.
func TestStaleMasterStopped(t *testing.T) {
	s := testutil.SSHDTest(t, os.Getenv("PATH"))
	dir := filepath.Join(testutil.TempDir(t), "annex", "ssh")
	sock := filepath.Join(dir, "annextest")

	gone := sshdClient(s.Config, dir)
	stale := connection(t, gone)
	// The process "dies": its lock goes, its master stays.
	gone.mu.Lock()
	gone.lock.Close()
	gone.lock = nil
	gone.mu.Unlock()
	if !masterRunning(sock) {
		t.Fatal("no master left behind")
	}

	staleCleaned.Delete(dir) // a new process
	c := sshdClient(s.Config, dir)
	t.Cleanup(func() { c.Close(context.Background()) })
	if got := connection(t, c); got == stale {
		t.Errorf("the stale master's connection %q was used instead of being stopped", got)
	}
}

// TestConnectionCachingTwoProcesses runs a second process that holds the
// shared connection while this one uses it and ends: the second process
// keeps its master, and stops it itself when it ends.
func TestConnectionCachingTwoProcesses(t *testing.T) {
	s := testutil.SSHDTest(t, os.Getenv("PATH"))
	dir := filepath.Join(testutil.TempDir(t), "annex", "ssh")
	sock := filepath.Join(dir, "annextest")

	helper := exec.Command(os.Args[0], "-test.run=^TestHelperHoldConnection$")
	helper.Env = append(os.Environ(), helperEnv+"="+s.Config, helperDirEnv+"="+dir)
	stdin, err := helper.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	helper.Stderr = os.Stderr
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); helper.Wait() })
	lines := bufio.NewScanner(stdout)
	readConn := func() string {
		t.Helper()
		for lines.Scan() {
			if c, ok := strings.CutPrefix(lines.Text(), "conn "); ok {
				return c
			}
		}
		t.Fatalf("helper ended without reporting its connection: %v", lines.Err())
		return ""
	}
	theirs := readConn()

	// This process joins the helper's master, then ends its use of it.
	c := sshdClient(s.Config, dir)
	if got := connection(t, c); got != theirs {
		t.Errorf("this process used connection %q, the helper's is %q", got, theirs)
	}
	c.Close(context.Background())
	if !masterRunning(sock) {
		t.Fatalf("this process stopped the master the helper holds")
	}

	// The helper still has its connection, then stops the master as it ends.
	stdin.Close()
	if got := readConn(); got != theirs {
		t.Errorf("helper's second command used connection %q, its first %q", got, theirs)
	}
	_, _ = io.Copy(io.Discard, stdout)
	if err := helper.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	if isSocket(sock) || masterRunning(sock) {
		t.Errorf("master still running after the last process ended")
	}
}

// TestHelperHoldConnection is the second process of
// TestConnectionCachingTwoProcesses; without its environment it does
// nothing.
func TestHelperHoldConnection(t *testing.T) {
	config := os.Getenv(helperEnv)
	if config == "" {
		return
	}
	c := sshdClient(config, os.Getenv(helperDirEnv))
	fmt.Printf("conn %s\n", connection(t, c))
	_, _ = io.Copy(io.Discard, os.Stdin)
	fmt.Printf("conn %s\n", connection(t, c))
	c.Close(context.Background())
}
