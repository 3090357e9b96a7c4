package gitcmd

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// errClosed is returned by requests to a closed batch process.
var errClosed = errors.New("batch process closed")

// batch is a long-running git process driven by request/response over its
// stdin and stdout. One request runs at a time (mu); after a failed request
// the process is unusable, because its stream position is unknown.
type batch struct {
	mu     sync.Mutex
	args   []string
	wait   func() error
	stdin  io.Closer
	w      *bufio.Writer
	rd     *bufio.Reader
	stderr *syncBuffer
	cancel context.CancelFunc
	failed error // set once the process can no longer be used
}

// startBatch starts git with args as a batch process living until Close or
// until ctx is done.
func (r *Repo) startBatch(ctx context.Context, args ...string) (*batch, error) {
	ctx, cancel := context.WithCancel(ctx)
	cmd := r.command(ctx, args)
	b := &batch{args: args, stderr: &syncBuffer{}, cancel: cancel, wait: cmd.Wait}
	cmd.Stderr = b.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		cancel()
		return nil, &Error{Args: args, Err: err}
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, &Error{Args: args, Err: err}
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, &Error{Args: args, Err: err}
	}
	b.stdin = stdin
	b.w = bufio.NewWriterSize(stdin, 64<<10)
	b.rd = bufio.NewReaderSize(stdout, 64<<10)
	return b, nil
}

// do runs one request under the lock. If ctx ends during the request the
// process is killed, which unblocks it. Any error marks the process failed.
func (b *batch) do(ctx context.Context, req func() error) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failed != nil {
		return b.failed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, b.cancel)
	err := req()
	stop()
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		b.failed = &Error{Args: b.args, Stderr: strings.TrimSpace(b.stderr.String()), Err: err}
		b.cancel()
		return b.failed
	}
	return nil
}

// close ends the process by closing its stdin (after flushing) and waits for
// it. It is idempotent; later requests fail.
func (b *batch) close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failed == errClosed {
		return nil
	}
	var err error
	if b.failed == nil {
		err = b.w.Flush()
	}
	if cerr := b.stdin.Close(); err == nil {
		err = cerr
	}
	if werr := b.wait(); err == nil && b.failed == nil {
		err = werr
	}
	b.cancel()
	b.failed = errClosed
	if err != nil {
		return &Error{Args: b.args, Stderr: strings.TrimSpace(b.stderr.String()), Err: err}
	}
	return nil
}

// readLine reads one response line without its terminator.
func (b *batch) readLine(delim byte) (string, error) {
	line, err := b.rd.ReadString(delim)
	if err != nil {
		if err == io.EOF {
			err = fmt.Errorf("git exited early: %w", io.ErrUnexpectedEOF)
		}
		return "", err
	}
	return line[:len(line)-1], nil
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of exec's
// stderr copier and our reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.buf.Len() > 64<<10 {
		return len(p), nil // keep the start; it holds git's first complaint
	}
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}
