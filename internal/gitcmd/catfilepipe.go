package gitcmd

import (
	"context"
	"fmt"
	"io"
	"iter"
)

// CatFilePipe is a long-running `git cat-file --batch` whose requests and
// answers are decoupled, so that many requests can be in flight: one
// goroutine calls Send, another calls Receive once per Send, in the same
// order. Unlike CatFile, no request waits for the previous answer, which
// hides the round trip to git when reading many small objects.
//
// Send and Receive must each be called by one goroutine at a time. Every
// name sent must be received before the answers of later names are read;
// answers never sent for are not waited for. After an error the pipe is
// unusable; Close it.
type CatFilePipe struct {
	p *pipe
}

// NewCatFilePipe starts `git cat-file --batch`; it lives until Close or
// until ctx is done (cancelling ctx kills git, which unblocks Send and
// Receive).
func (r *Repo) NewCatFilePipe(ctx context.Context) (*CatFilePipe, error) {
	p, err := r.startPipe(ctx, "\n", "cat-file", "--batch")
	if err != nil {
		return nil, err
	}
	return &CatFilePipe{p: p}, nil
}

// Send asks for the object named name (see CatFile.Read for the names git
// understands) and returns without waiting for the answer.
func (p *CatFilePipe) Send(name string) error {
	if err := checkBatchName(name); err != nil {
		return err
	}
	return p.p.send(name)
}

// Receive reads the answer to the oldest request not yet received, which
// was for name. A missing object is found == false without error.
func (p *CatFilePipe) Receive(name string) (obj Object, found bool, err error) {
	line, err := p.p.b.readLine('\n')
	if err != nil {
		return Object{}, false, p.p.fail(err)
	}
	info, found, err := ParseBatchHeader(line, name)
	if err != nil || !found {
		return Object{}, false, err
	}
	data := make([]byte, info.Size+1)
	if _, err := io.ReadFull(p.p.b.rd, data); err != nil {
		return Object{}, false, p.p.fail(fmt.Errorf("read content of %s: %w", name, err))
	}
	if data[info.Size] != '\n' {
		return Object{}, false, p.p.fail(fmt.Errorf("content of %s not followed by a newline", name))
	}
	return Object{ObjectInfo: info, Data: data[:info.Size]}, true, nil
}

// ReadAll asks for every name names yields and calls fn with each answer,
// in order. The names are sent from another goroutine while the calling
// one receives, so git never waits for a round trip and names may be
// produced as they are found (names runs on that goroutine). It stops at
// the first error from Send, Receive or fn and returns it; the answers
// still in flight are then read and discarded, so the pipe is idle when
// ReadAll returns (but unusable after a Send or Receive error). It must
// not run concurrently with other uses of the pipe.
func (p *CatFilePipe) ReadAll(ctx context.Context, names iter.Seq[string], fn func(name string, obj Object, found bool) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sent := make(chan string, 1024)
	var sendErr error
	go func() {
		defer close(sent)
		for name := range names {
			if ctx.Err() != nil {
				return
			}
			if sendErr = p.Send(name); sendErr != nil {
				return
			}
			select {
			case sent <- name:
			case <-ctx.Done():
				// The receiver stopped; it reads this answer too.
				sent <- name
				return
			}
		}
	}()
	var err error
	for name := range sent {
		obj, found, rerr := p.Receive(name)
		if rerr == nil {
			rerr = fn(name, obj, found)
		}
		if rerr != nil {
			err = rerr
			cancel()
			break
		}
	}
	for name := range sent {
		// Unblock git (and so the sender) by taking what it writes.
		_, _, _ = p.Receive(name)
	}
	if err != nil {
		return err
	}
	return sendErr
}

// Close ends git: it closes git's input, discards answers nobody received
// and waits for git to exit. It is idempotent and must not run concurrently
// with Send or Receive.
func (p *CatFilePipe) Close() error { return p.p.close() }
