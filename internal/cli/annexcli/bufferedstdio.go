package annexcli

import (
	"bufio"
	"io"

	"github.com/troveproject/trove/internal/cli/invocation"
)

// bufferedStdio buffers a command's standard output when it is not a
// terminal, so that a command reporting on many files makes a few large
// writes rather than several small ones per file. Standard error stays
// unbuffered, and buffered output is written out before anything goes to
// standard error, so the two interleave as if nothing were buffered.
type bufferedStdio struct {
	out *bufio.Writer
}

// bufferStdout returns globals whose Stdio.Out is buffered as
// bufferedStdio describes, and the function that writes out what is
// buffered; call it before the command returns. With a terminal on
// standard output, or in --batch mode (whose callers wait for each answer),
// g is returned as it is.
func bufferStdout(g *invocation.Globals, batch bool) (*invocation.Globals, func() error) {
	if batch || isTerminal(g.Stdio.Out) {
		return g, func() error { return nil }
	}
	b := &bufferedStdio{out: bufio.NewWriterSize(g.Stdio.Out, 64<<10)}
	buffered := *g
	buffered.Stdio.Out = b.out
	buffered.Stdio.Err = stderrAfter{b: b, w: g.Stdio.Err}
	return &buffered, b.out.Flush
}

// withBufferedStdout runs a command with bufferStdout's globals and writes
// out the buffered output before returning the command's error.
func withBufferedStdout(g *invocation.Globals, batch bool, run func(g *invocation.Globals) error) error {
	g, flush := bufferStdout(g, batch)
	err := run(g)
	if ferr := flush(); err == nil && ferr != nil {
		err = commandError(ferr)
	}
	return err
}

// stderrAfter writes to standard error after writing out the buffered
// standard output.
type stderrAfter struct {
	b *bufferedStdio
	w io.Writer
}

func (s stderrAfter) Write(p []byte) (int, error) {
	if err := s.b.out.Flush(); err != nil {
		return 0, err
	}
	return s.w.Write(p)
}
