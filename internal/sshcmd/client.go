package sshcmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/troveproject/trove/internal/lockfile"
)

// Options say how to reach a host. The zero value runs plain `ssh` with
// the process's environment.
type Options struct {
	// Getenv reads the environment (GIT_ANNEX_USE_GIT_SSH, GIT_SSH_COMMAND,
	// GIT_SSH); nil means os.Getenv.
	Getenv func(string) string
	// GitConfig reads the repository's git configuration (annex.ssh-options,
	// remote.NAME.annex-ssh-options, annex.sshcaching,
	// annex.crippledfilesystem); nil means none.
	GitConfig func(name string) (string, bool)
	// Remote is the git remote's name, for remote.NAME.annex-ssh-options.
	Remote string
	// CacheDir is where connection-caching sockets go (.git/annex/ssh); ""
	// turns caching off. Caching is on unless annex.sshcaching is false,
	// git's ssh is used (UsesGitSSH), the socket path would be too long,
	// or the directory cannot hold sockets; on a crippled file system the
	// sockets go to $GIT_ANNEX_SSH_SOCKET_DIR/ssh instead, or caching is
	// off when that is unset.
	CacheDir string
}

// Client runs commands at one Location. It is safe for concurrent use.
// With connection caching, its commands share one ssh connection master
// (which they start on first use or find running), and Close stops that
// master unless another client or process still uses it.
type Client struct {
	loc  Location
	opts Options

	sockOnce sync.Once
	sock     string // the socket as ssh is given it; "" without caching
	sockAbs  string // its absolute path

	mu   sync.Mutex
	lock *lockfile.File // shared lock on sockAbs's lock file while in use
}

// New returns a client for loc. It does no I/O.
func New(loc Location, opts Options) *Client {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.GitConfig == nil {
		opts.GitConfig = func(string) (string, bool) { return "", false }
	}
	return &Client{loc: loc, opts: opts}
}

// Location returns the client's location.
func (c *Client) Location() Location { return c.loc }

// UsesGitSSH reports whether GIT_ANNEX_USE_GIT_SSH=1 and git's
// GIT_SSH_COMMAND or GIT_SSH is set, which replace `ssh` and its options.
func (c *Client) UsesGitSSH() bool {
	return c.opts.Getenv("GIT_ANNEX_USE_GIT_SSH") == "1" &&
		(c.opts.Getenv("GIT_SSH_COMMAND") != "" || c.opts.Getenv("GIT_SSH") != "")
}

// Argv returns the command line that runs remoteCmd (one shell command
// line, see ShellCommand) on the host. With noStdin, ssh is given -n (it
// reads nothing from standard input), as git-annex does for configlist.
// The first call decides whether the client caches its connection (see
// Options.CacheDir), creating the socket directory.
func (c *Client) Argv(remoteCmd string, noStdin bool) []string {
	common := c.commonOptions(noStdin)
	tail := []string{c.loc.Target(), remoteCmd}
	if c.UsesGitSSH() {
		if gsc := c.opts.Getenv("GIT_SSH_COMMAND"); gsc != "" {
			return append(append([]string{"sh", "-c", gsc + ` "$@"`, gsc}, common...), tail...)
		}
		return append(append([]string{c.opts.Getenv("GIT_SSH")}, common...), tail...)
	}
	return c.sshArgv(common, tail)
}

// commonOptions are the options of both ssh and git's ssh: -n with
// noStdin, and the port.
func (c *Client) commonOptions(noStdin bool) []string {
	var common []string
	if noStdin {
		common = append(common, "-n")
	}
	if c.loc.Port != "" {
		common = append(common, "-p", c.loc.Port)
	}
	return common
}

// sshArgv is plain ssh's command line: caching options, ssh options (see
// sshOptions), common options, -T, then tail.
func (c *Client) sshArgv(common, tail []string) []string {
	argv := []string{"ssh"}
	if sock, _ := c.socket(); sock != "" {
		argv = append(argv, cachingOptions(sock)...)
	}
	argv = append(argv, c.sshOptions()...)
	argv = append(argv, common...)
	argv = append(argv, "-T")
	return append(argv, tail...)
}

// sshOptions are remote.NAME.annex-ssh-options or, when that is unset,
// annex.ssh-options, split at white space: git-annex uses the remote's
// setting instead of the global one, not both.
func (c *Client) sshOptions() []string {
	if c.opts.Remote != "" {
		if v, ok := c.opts.GitConfig("remote." + c.opts.Remote + ".annex-ssh-options"); ok {
			return strings.Fields(v)
		}
	}
	v, _ := c.opts.GitConfig("annex.ssh-options")
	return strings.Fields(v)
}

// Output runs remoteCmd with no standard input and returns its standard
// output. A non-zero exit gives an *ExitError carrying what the command
// wrote to standard error.
func (c *Client) Output(ctx context.Context, remoteCmd string) ([]byte, error) {
	argv := c.Argv(remoteCmd, true)
	if err := c.hold(ctx); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), c.exitError(remoteCmd, err, stderr.String())
	}
	return stdout.Bytes(), nil
}

// ExitError is a remote command that failed, or ssh failing to reach the
// host (ssh exits 255 then).
type ExitError struct {
	Host    string
	Command string
	// Code is the exit status, -1 when the command did not exit normally.
	Code   int
	Stderr string
	Err    error
}

func (e *ExitError) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		msg = e.Err.Error()
	}
	return fmt.Sprintf("ssh %s %q: %s", e.Host, e.Command, msg)
}

func (e *ExitError) Unwrap() error { return e.Err }

func (c *Client) exitError(remoteCmd string, err error, stderr string) error {
	code := -1
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	return &ExitError{Host: c.loc.Target(), Command: remoteCmd, Code: code, Stderr: stderr, Err: err}
}

// Session is a remote command running with its standard input and output
// connected to the caller.
type Session struct {
	// Stdin feeds the command; Stdout is what it prints.
	Stdin  io.WriteCloser
	Stdout io.ReadCloser

	c      *Client
	remote string
	cmd    *exec.Cmd
	stderr *tailBuffer
}

// Start starts remoteCmd. The session outlives ctx (it is pooled and
// reused by later requests): ctx only bounds the start. The caller must
// Close the session. What the remote command writes to standard error is
// kept (its last few KiB) for the error Close returns.
func (c *Client) Start(ctx context.Context, remoteCmd string) (*Session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	argv := c.Argv(remoteCmd, false)
	if err := c.hold(ctx); err != nil {
		return nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	s := &Session{c: c, remote: remoteCmd, cmd: cmd, stderr: &tailBuffer{max: 8 << 10}}
	cmd.Stderr = s.stderr
	var err error
	if s.Stdin, err = cmd.StdinPipe(); err != nil {
		return nil, fmt.Errorf("ssh %s: %w", c.loc.Target(), err)
	}
	if s.Stdout, err = cmd.StdoutPipe(); err != nil {
		return nil, fmt.Errorf("ssh %s: %w", c.loc.Target(), err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s for %s: %w (is ssh installed?)", argv[0], c.loc.Target(), err)
	}
	return s, nil
}

// Stderr returns the end of what the remote command wrote to standard
// error so far.
func (s *Session) Stderr() string { return s.stderr.String() }

// Close closes the command's standard input and waits for it to exit. It
// returns an *ExitError when the command failed.
func (s *Session) Close() error {
	s.Stdin.Close()
	err := s.cmd.Wait()
	if err != nil {
		return s.c.exitError(s.remote, err, s.stderr.String())
	}
	return nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
