package gitcmd

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// ErrNotFound is wrapped by errors that mean "no such object, ref or entry".
var ErrNotFound = errors.New("not found")

// Error is a failed git command. It names the command line and carries what
// git wrote to stderr.
type Error struct {
	Args   []string // arguments after "git"
	Stderr string   // git's stderr, trimmed
	Err    error    // the underlying error, usually *exec.ExitError
}

// Error formats the command, the failure and git's message.
func (e *Error) Error() string {
	msg := fmt.Sprintf("git %s: %v", strings.Join(e.Args, " "), e.Err)
	if e.Stderr != "" {
		msg += ": " + e.Stderr
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// ExitCode returns git's exit status, or -1 when git did not exit normally.
func (e *Error) ExitCode() int {
	var x *exec.ExitError
	if errors.As(e.Err, &x) {
		return x.ExitCode()
	}
	return -1
}

// exitCode returns the exit status of a git failure, or -1 when err is not a
// git exit.
func exitCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.ExitCode()
	}
	return -1
}
