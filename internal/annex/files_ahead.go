package annex

import (
	"context"

	"github.com/troveproject/trove/internal/annexbranch"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
)

// filesAhead is how many files Files (and Seek) enumerate, and whose
// location logs they ask git for, ahead of the one fn is working on. It
// bounds memory, and the answers in flight (about 100 bytes each) fit in a
// pipe's buffer.
const filesAhead = 256

// FilesWithLocations is Files, reading each file's location log from the
// git-annex branch ahead of fn for the methods that take an AnnexedFile
// (WhereIsFile, FileLocations): a goroutine enumerates the files and sends
// their location log requests to git, while the calling goroutine takes
// the answers in order and calls fn. git, the enumeration and fn thus run at
// the same time and no request waits for a round trip; up to filesAhead
// files are in flight. A log is as of when it was requested, before fn ran
// for the files in flight ahead of it.
func (r *Repo) FilesWithLocations(ctx context.Context, opts FilesOptions, fn func(AnnexedFile, error) error) error {
	type found struct {
		f   AnnexedFile
		err error
	}
	return withLocationsAhead(ctx, r, func(ctx context.Context, send func(found, *key.Key) error) error {
		return r.Files(ctx, opts, func(f AnnexedFile, err error) error {
			if err != nil {
				return send(found{f, err}, nil)
			}
			return send(found{f, nil}, &f.Key)
		})
	}, func(it found, log []byte) error {
		if it.err == nil {
			it.f.locationLog, it.f.hasLocationLog = log, true
		}
		return fn(it.f, it.err)
	})
}

// withLocationsAhead runs produce in a goroutine and calls fn from the
// calling goroutine, in order, for what it sends, with the location log of
// the key sent along (nil key: no log). Each log is requested from git
// when its item is sent, so git, the enumeration and fn work at the same
// time; up to filesAhead items are in flight. An error from fn cancels
// produce and is returned; otherwise produce's error, then the
// pipeline's.
func withLocationsAhead[T any](ctx context.Context, r *Repo, produce func(ctx context.Context, send func(T, *key.Key) error) error, fn func(item T, log []byte) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pl, err := r.branch.NewPipeline(ctx)
	if err != nil {
		return err
	}
	type pending struct {
		it     T
		pd     annexbranch.Pending
		hasLog bool
	}
	ch := make(chan pending, filesAhead)
	var prodErr error
	go func() {
		defer close(ch)
		prodErr = produce(ctx, func(it T, k *key.Key) error {
			p := pending{it: it}
			if k != nil {
				pd, err := pl.Request(ctx, logs.LocationLogPath(*k, r.cfg.BranchHash1))
				if err != nil {
					return err
				}
				p.pd, p.hasLog = pd, true
			}
			select {
			case ch <- p:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var fnErr error
	for p := range ch {
		if fnErr != nil {
			continue // cancelled; let the producer end
		}
		var data []byte
		if p.hasLog {
			if data, err = pl.Result(p.pd); err != nil {
				fnErr = err
				cancel()
				continue
			}
		}
		if err := fn(p.it, data); err != nil {
			fnErr = err
			cancel()
		}
	}
	closeErr := pl.Close()
	switch {
	case fnErr != nil:
		return fnErr
	case prodErr != nil:
		return prodErr
	}
	return closeErr
}
