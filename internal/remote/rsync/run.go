package rsync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
)

// exitPartial is rsync's "partial transfer due to error" status, which
// it gives when a source file does not exist.
const exitPartial = 23

// run runs rsync with args, copying its standard output to out (when not
// nil). It returns rsync's exit status and an error naming what rsync
// said on standard error; cancellation kills rsync and returns an error
// wrapping ctx.Err().
func (r *Remote) run(ctx context.Context, args []string, out io.Writer) (int, error) {
	prog := r.o.Program
	if prog == "" {
		prog = "rsync"
	}
	if err := ctx.Err(); err != nil {
		return -1, err
	}
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.WaitDelay = 5 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &limitedBuffer{b: &stderr, max: 8192}
	if out != nil {
		cmd.Stdout = out
	}
	err := cmd.Run()
	if err == nil {
		return 0, nil
	}
	if cerr := ctx.Err(); cerr != nil {
		return -1, fmt.Errorf("rsync interrupted: %w", cerr)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = ee.String()
		}
		return ee.ExitCode(), fmt.Errorf("rsync failed (exit status %d): %s", ee.ExitCode(), msg)
	}
	return -1, fmt.Errorf("rsync: %w (is rsync installed?)", err)
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	b   *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.b.Len(); room > 0 {
		l.b.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
