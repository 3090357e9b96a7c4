package gitcmd

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// waitDelay bounds how long a cancelled git may take to exit.
const waitDelay = 5 * time.Second

// command builds a git command for args, with r's location, -c parameters and
// environment. It runs in the work tree top, or the git dir when bare.
func (r *Repo) command(ctx context.Context, args []string) *exec.Cmd {
	full := make([]string, 0, len(args)+2*len(r.params)+2)
	full = append(full, "--git-dir="+r.GitDir)
	dir := r.GitDir
	if r.Top != "" {
		full = append(full, "--work-tree="+r.Top)
		dir = r.Top
	}
	for _, p := range r.params {
		full = append(full, "-c", p)
	}
	full = append(full, args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	cmd.Dir = dir
	if len(r.env) > 0 {
		cmd.Env = append(os.Environ(), r.env...)
	}
	cmd.WaitDelay = waitDelay
	return cmd
}

// Run runs git with args and returns its stdout. A failure is an *Error with
// the command line and git's stderr.
func (r *Repo) Run(ctx context.Context, args ...string) ([]byte, error) {
	return r.RunInput(ctx, nil, args...)
}

// RunInput is Run with stdin connected to in (nil means no input).
func (r *Repo) RunInput(ctx context.Context, in io.Reader, args ...string) ([]byte, error) {
	cmd := r.command(ctx, args)
	cmd.Stdin = in
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), &Error{Args: args, Stderr: strings.TrimSpace(stderr.String()), Err: err}
	}
	return stdout.Bytes(), nil
}

// runLine runs git and returns its stdout without the trailing newline.
func (r *Repo) runLine(ctx context.Context, args ...string) (string, error) {
	out, err := r.Run(ctx, args...)
	return strings.TrimSuffix(string(out), "\n"), err
}
