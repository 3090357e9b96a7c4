package annex

import (
	"context"
	"fmt"
	"slices"

	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// CopyOptions are the settings of CopyToWith.
type CopyOptions struct {
	// Fast is --fast: trust the location log rather than asking the
	// remote whether it has the content.
	Fast bool
	// Auto is --auto: send only what WantSend selects.
	Auto bool
	// NumCopies overrides numcopies for --auto when > 0.
	NumCopies int
	// Checking, when set, is called once CopyToWith knows it acts on the
	// item (the content is here), before asking the remote.
	Checking func()
	// Sending, when set, is called before the content is sent, so the
	// caller can show "to NAME...".
	Sending func()
}

// CopyResult is what CopyTo did.
type CopyResult struct {
	// Skipped is set when there was nothing to report: the content is not
	// here, --auto does not want it sent, or (with Fast) the location log
	// says the remote has it.
	Skipped bool
	// AlreadyThere is set when the remote turned out to have the content;
	// nothing was sent (git-annex reports "ok" without a note).
	AlreadyThere bool
}

// CopyTo stores it's content on rm unless rm has it: git-annex's
// `copy --to`, which asks the remote (CheckPresent) rather than trusting
// the location log. rm's copy is recorded in the location log (deferred to
// Commit), also when rm turned out to have it already. Safe for concurrent
// use on different keys.
func (r *Repo) CopyTo(ctx context.Context, it Item, rm remote.Remote, m progress.Meter) (CopyResult, error) {
	return r.CopyToWith(ctx, it, rm, CopyOptions{}, m)
}

// CopyToWith is CopyTo with options.
func (r *Repo) CopyToWith(ctx context.Context, it Item, rm remote.Remote, opts CopyOptions, m progress.Meter) (CopyResult, error) {
	if has, err := r.hasContent(ctx, it.Key); err != nil || !has {
		return CopyResult{Skipped: err == nil}, err
	}
	if opts.Auto {
		want, err := r.WantSend(ctx, it, rm, opts.NumCopies)
		if err != nil || !want {
			return CopyResult{Skipped: !want}, err
		}
	}
	present, err := r.remoteHas(ctx, it, rm, opts.Fast)
	if err != nil {
		return CopyResult{}, err
	}
	if present && opts.Fast {
		return CopyResult{Skipped: true}, nil
	}
	if opts.Checking != nil {
		opts.Checking()
	}
	if present {
		r.logPresentAt(it.Key, rm.UUID())
		return CopyResult{AlreadyThere: true}, nil
	}
	if opts.Sending != nil {
		opts.Sending()
	}
	if err := r.Transfers().Upload(ctx, rm, it.Key, it.File, m); err != nil {
		return CopyResult{}, err
	}
	r.logPresentAt(it.Key, rm.UUID())
	return CopyResult{}, nil
}

// remoteHas reports whether rm has it's content: by the location log with
// fast, else by asking rm. An error names the remote and what to do.
func (r *Repo) remoteHas(ctx context.Context, it Item, rm remote.Remote, fast bool) (bool, error) {
	if fast {
		locs, err := r.ItemLocations(ctx, it)
		if err != nil {
			return false, fmt.Errorf("location log of %s: %w", it.Key, err)
		}
		return slices.Contains(locs, rm.UUID()), nil
	}
	ok, err := rm.CheckPresent(ctx, it.Key)
	if err != nil {
		return false, fmt.Errorf("unable to check %s: %w", rm.Name(), err)
	}
	return ok, nil
}
