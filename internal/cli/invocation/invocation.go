// Package invocation describes one run of the binary: its standard streams,
// the face it was started as, the options every command shares, and the
// errors that carry an exit status.
package invocation

import (
	"fmt"
	"io"
	"os"
)

// Face is the command line the binary presents.
type Face int

// The faces.
const (
	FaceAnnex Face = iota // started as git-annex: git-annex's exact command line and output
	FaceTrove             // started as trove: Trove's own output, parallel by default
)

// Stdio is the standard streams of the process.
type Stdio struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// Globals holds the options every command accepts. Commands receive a
// pointer and read it only after flag parsing.
type Globals struct {
	Face  Face
	Stdio Stdio
	// ConfigParams are the -c name=value settings, applied to every git call.
	ConfigParams []string
	Quiet        bool
	Debug        bool
	Force        bool
	Fast         bool
	// JSON output options, for the commands that accept them.
	JSON              bool
	JSONProgress      bool
	JSONErrorMessages bool
	// Jobs is the -J value as given ("", "4", "cpus").
	Jobs string
	// Backend is the -b/--backend value.
	Backend string
	// NumCopies and MinCopies override the configured values when >= 0.
	NumCopies int
	MinCopies int
	// Dir is the directory the command runs in ("" = the process's).
	Dir string
}

// New returns Globals for a run of face with the given streams.
func New(face Face, stdio Stdio) *Globals {
	return &Globals{Face: face, Stdio: stdio, NumCopies: -1, MinCopies: -1}
}

// WorkDir returns the directory the command operates in.
func (g *Globals) WorkDir() (string, error) {
	if g.Dir != "" {
		return g.Dir, nil
	}
	return os.Getwd()
}

// ExitCoder is an error that decides the process exit status. Reported is
// true when the message has already been shown to the user.
type ExitCoder interface {
	error
	ExitCode() int
	Reported() bool
}

type exitError struct {
	code     int
	msg      string
	reported bool
}

func (e *exitError) Error() string  { return e.msg }
func (e *exitError) ExitCode() int  { return e.code }
func (e *exitError) Reported() bool { return e.reported }

// Exit returns an error that makes the process exit with code after
// printing msg (when non-empty) to stderr.
func Exit(code int, format string, args ...any) error {
	return &exitError{code: code, msg: fmt.Sprintf(format, args...)}
}

// Failed returns an error that exits with status 1 without printing
// anything more: the command already reported each failure.
func Failed() error {
	return &exitError{code: 1, reported: true}
}
