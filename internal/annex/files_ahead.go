package annex

import (
	"context"

	"github.com/troveproject/trove/internal/annexbranch"
	"github.com/troveproject/trove/internal/logs"
)

// filesAhead is how many files Files enumerates, and whose location logs it
// asks git for, ahead of the one fn is working on. It bounds memory, and
// the answers in flight (about 100 bytes each) fit in a pipe's buffer.
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
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pl, err := r.branch.NewPipeline(ctx)
	if err != nil {
		return err
	}
	type item struct {
		f   AnnexedFile
		err error
		pd  annexbranch.Pending
	}
	ch := make(chan item, filesAhead)
	var enumErr error
	go func() {
		defer close(ch)
		enumErr = r.Files(ctx, opts, func(f AnnexedFile, ferr error) error {
			it := item{f: f, err: ferr}
			if ferr == nil {
				pd, err := pl.Request(ctx, logs.LocationLogPath(f.Key, r.cfg.BranchHash1))
				if err != nil {
					return err
				}
				it.pd = pd
			}
			select {
			case ch <- it:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var fnErr error
	for it := range ch {
		if fnErr != nil {
			continue // cancelled; let the enumeration end
		}
		if it.err == nil {
			data, err := pl.Result(it.pd)
			if err != nil {
				fnErr = err
				cancel()
				continue
			}
			it.f.locationLog, it.f.hasLocationLog = data, true
		}
		if err := fn(it.f, it.err); err != nil {
			fnErr = err
			cancel()
		}
	}
	closeErr := pl.Close()
	switch {
	case fnErr != nil:
		return fnErr
	case enumErr != nil:
		return enumErr
	}
	return closeErr
}
