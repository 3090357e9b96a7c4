package annex

import (
	"context"
	"errors"

	"github.com/troveproject/trove/internal/annexbranch"
	"github.com/troveproject/trove/internal/gitcmd"
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
	return withAhead(ctx, r, nil, func(ctx context.Context, send func(found, ahead) error) error {
		return r.Files(ctx, opts, func(f AnnexedFile, err error) error {
			if err != nil {
				return send(found{f, err}, ahead{})
			}
			return send(found{f, nil}, ahead{Key: &f.Key})
		})
	}, func(it found, got aheadResult) error {
		if it.err == nil {
			it.f.locationLog, it.f.hasLocationLog = got.log, true
		}
		return fn(it.f, it.err)
	})
}

// ahead is what withAhead reads for one item before fn gets it: the
// location log of Key (when set) and the git attributes of File (when
// set and withAhead was given attributes to read).
type ahead struct {
	Key  *key.Key
	File string
}

// aheadResult is what withAhead read for an item.
type aheadResult struct {
	log []byte
	// attrs are File's attributes as gitcmd.CheckAttr.Check gives them;
	// hasAttrs says they were read.
	attrs    map[string]string
	hasAttrs bool
}

// withAhead runs produce in a goroutine and calls fn from the calling
// goroutine, in order, for what it sends, with what was read ahead for it:
// the location log of the key sent along, and, when attrs is not empty,
// those git attributes of the file sent along. Each request goes to git
// (one cat-file, and one check-attr started on first use) when its item is
// sent, so git, the enumeration and fn work at the same time and no item
// waits for a round trip; up to filesAhead items are in flight. An error
// from fn cancels produce and is returned; otherwise produce's error, then
// the ones of the git processes.
func withAhead[T any](ctx context.Context, r *Repo, attrs []string, produce func(ctx context.Context, send func(T, ahead) error) error, fn func(item T, got aheadResult) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pl, err := r.branch.NewPipeline(ctx)
	if err != nil {
		return err
	}
	var ca *gitcmd.CheckAttrPipe // started by the producer, closed after it ends
	type pending struct {
		it       T
		pd       annexbranch.Pending
		hasLog   bool
		attrPath string
	}
	ch := make(chan pending, filesAhead)
	var prodErr error
	go func() {
		defer close(ch)
		prodErr = produce(ctx, func(it T, a ahead) error {
			p := pending{it: it}
			if a.Key != nil {
				pd, err := pl.Request(ctx, logs.LocationLogPath(*a.Key, r.cfg.BranchHash1))
				if err != nil {
					return err
				}
				p.pd, p.hasLog = pd, true
			}
			if a.File != "" && len(attrs) > 0 {
				if ca == nil {
					c, err := r.git.NewCheckAttrPipe(ctx, attrs...)
					if err != nil {
						return err
					}
					ca = c
				}
				if err := ca.Send(a.File); err != nil {
					return err
				}
				p.attrPath = a.File
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
		var got aheadResult
		if p.hasLog {
			if got.log, err = pl.Result(p.pd); err != nil {
				fnErr = err
				cancel()
				continue
			}
		}
		if p.attrPath != "" {
			if got.attrs, err = ca.Receive(p.attrPath); err != nil {
				fnErr = err
				cancel()
				continue
			}
			got.hasAttrs = true
		}
		if err := fn(p.it, got); err != nil {
			fnErr = err
			cancel()
		}
	}
	closeErr := pl.Close()
	if ca != nil {
		closeErr = errors.Join(closeErr, ca.Close())
	}
	switch {
	case fnErr != nil:
		return fnErr
	case prodErr != nil:
		return prodErr
	}
	return closeErr
}
