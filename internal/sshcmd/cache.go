package sshcmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/lockfile"
)

// cachingOptions are the ssh options that share one connection through
// the control socket sock, starting the master when there is none; the
// master outlives the ssh that started it until it is stopped.
func cachingOptions(sock string) []string {
	return []string{"-S", sock, "-o", "ControlMaster=auto", "-o", "ControlPersist=yes"}
}

// socket returns the control socket as ssh is given it (relative to the
// working directory when that is shorter) and its absolute path, or ""s
// when the client does not cache its connection. It is decided once.
func (c *Client) socket() (sock, abs string) {
	c.sockOnce.Do(func() { c.sock, c.sockAbs = c.resolveSocket() })
	return c.sock, c.sockAbs
}

// resolveSocket decides on connection caching (see Options.CacheDir),
// creating the socket directory.
func (c *Client) resolveSocket() (sock, abs string) {
	if c.UsesGitSSH() || c.opts.CacheDir == "" {
		return "", ""
	}
	if v, ok := c.opts.GitConfig("annex.sshcaching"); ok {
		if b, err := gitcmd.ParseBool(v); err == nil && !b {
			return "", ""
		}
	}
	dir := c.opts.CacheDir
	if v, ok := c.opts.GitConfig("annex.crippledfilesystem"); ok {
		if b, err := gitcmd.ParseBool(v); err == nil && b {
			alt := c.opts.Getenv(SocketDirEnv)
			if alt == "" {
				return "", ""
			}
			dir = filepath.Join(alt, "ssh")
		}
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", ""
	}
	cwd, err := os.Getwd()
	if err != nil {
		return "", ""
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return "", ""
	}
	abs = filepath.Join(dir, socketName(c.loc.Target(), c.loc.Port))
	sock, ok := socketPath(abs, cwd)
	if !ok || !socketsWork(dir, sock) {
		return "", ""
	}
	return sock, abs
}

// hold prepares the client's cached connection before ssh runs: the first
// use in the process stops stale masters in the socket directory, then
// the socket's lock file is locked shared (waiting while another process
// stops the master), so that no one stops the master while this client
// may use it, and the master is started when there is none. Without
// caching it does nothing.
func (c *Client) hold(ctx context.Context) error {
	sock, abs := c.socket()
	if sock == "" {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lock != nil {
		return nil
	}
	cleanStale(ctx, filepath.Dir(abs))
	l, err := lockfile.Open(lockPath(abs), 0o666)
	if err == nil {
		err = l.LockShared(ctx)
		if err != nil {
			l.Close()
		}
	}
	if err != nil {
		return fmt.Errorf("ssh connection caching for %s: %w (or turn it off: git config annex.sshcaching false)", c.loc.Target(), err)
	}
	c.lock = l
	if _, err := os.Lstat(abs); errors.Is(err, fs.ErrNotExist) {
		c.startMaster(ctx)
	}
	return nil
}

// startMaster starts the connection master with `ssh ... host true` in
// batch mode, as git-annex does, so that commands started at once all
// share it rather than each connecting. A failure is left for the real
// command to report (or, without batch mode, to ask for a password).
func (c *Client) startMaster(ctx context.Context) {
	argv := c.sshArgv(c.commonOptions(true), []string{c.loc.Target(), "true"})
	argv = append([]string{argv[0], "-o", "BatchMode=true"}, argv[1:]...)
	_ = exec.CommandContext(ctx, argv[0], argv[1:]...).Run()
}

// Close stops the client's connection master (ssh -O stop) unless another
// client or process holds the socket's lock, as git-annex does when a
// command ends. Call it once the client's commands and sessions have
// ended; the client may be used again afterwards. Failing to stop a master
// is not an error (it may be gone already); Close always returns nil.
func (c *Client) Close(ctx context.Context) error {
	c.mu.Lock()
	l := c.lock
	c.lock = nil
	c.mu.Unlock()
	if l == nil {
		return nil
	}
	defer l.Close()
	if l.TryExclusive() == nil {
		_, abs := c.socket()
		stopMaster(ctx, abs)
	}
	return nil
}

// staleCleaned holds the socket directories this process has cleaned.
var staleCleaned sync.Map // dir -> *sync.Once

// cleanStale stops, once per directory and process, the masters left in
// dir by commands that were interrupted: those whose lock file exists and
// nobody holds, as git-annex does before its first ssh.
func cleanStale(ctx context.Context, dir string) {
	once, _ := staleCleaned.LoadOrStore(dir, new(sync.Once))
	once.(*sync.Once).Do(func() {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			sock := filepath.Join(dir, e.Name())
			if strings.HasSuffix(sock, ".lock") {
				continue
			}
			if _, err := os.Lstat(lockPath(sock)); err != nil {
				continue
			}
			l, err := lockfile.Open(lockPath(sock), 0o666)
			if err != nil {
				continue
			}
			if l.TryExclusive() == nil {
				stopMaster(ctx, sock)
			}
			l.Close()
		}
	})
}

// stopMaster asks the master on the socket at abs to stop and removes the
// socket. ssh runs in the socket's directory with its base name, so that
// the path fits whatever the length of the directory. The lock file stays:
// other processes may be waiting for it.
func stopMaster(ctx context.Context, abs string) {
	dir, base := filepath.Split(abs)
	argv := append(append([]string{"-O", "stop"}, cachingOptions(base)...), "localhost")
	cmd := exec.CommandContext(ctx, "ssh", argv...)
	cmd.Dir = dir
	_ = cmd.Run() // "ssh -O stop" is noisy on stderr: nil discards it
	_ = os.Remove(abs)
}
