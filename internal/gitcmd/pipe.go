package gitcmd

import (
	"context"
	"io"
	"strings"
	"sync"
)

// pipe is a long-running git batch process whose requests and answers are
// decoupled: one goroutine sends requests, another reads the answers in
// the same order, so many requests can be in flight and none waits for a
// round trip. It holds what CatFilePipe and CheckAttrPipe share; each
// adds the parsing of its own answers.
type pipe struct {
	b         *batch
	term      string // written after every request
	sendMu    sync.Mutex
	closeOnce sync.Once
	closeErr  error
}

// startPipe starts git with args; requests are terminated by term. It
// lives until close or until ctx is done (cancelling ctx kills git, which
// unblocks send and any reader).
func (r *Repo) startPipe(ctx context.Context, term string, args ...string) (*pipe, error) {
	b, err := r.startBatch(ctx, args...)
	if err != nil {
		return nil, err
	}
	return &pipe{b: b, term: term}, nil
}

// send writes one request and flushes it to git without waiting for the
// answer. Safe for concurrent use, though answers are read in send order.
func (p *pipe) send(req string) error {
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
	if _, err := p.b.w.WriteString(req + p.term); err != nil {
		return p.fail(err)
	}
	if err := p.b.w.Flush(); err != nil {
		return p.fail(err)
	}
	return nil
}

// fail wraps err with the command line and what git said.
func (p *pipe) fail(err error) error {
	return &Error{Args: p.b.args, Stderr: strings.TrimSpace(p.b.stderr.String()), Err: err}
}

// close ends git: it closes git's input, discards answers nobody read and
// waits for git to exit. It is idempotent and must not run concurrently
// with send or with a reader.
func (p *pipe) close() error {
	p.closeOnce.Do(func() {
		p.sendMu.Lock()
		defer p.sendMu.Unlock()
		err := p.b.w.Flush()
		if cerr := p.b.stdin.Close(); err == nil {
			err = cerr
		}
		_, _ = io.Copy(io.Discard, p.b.rd) // git may be blocked writing answers
		if werr := p.b.wait(); err == nil {
			err = werr
		}
		p.b.cancel()
		if err != nil {
			p.closeErr = p.fail(err)
		}
	})
	return p.closeErr
}
