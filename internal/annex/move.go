package annex

import (
	"context"
	"fmt"

	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// MoveOptions are the settings of MoveTo and MoveFrom.
type MoveOptions struct {
	// Force is --force: drop the source without the numcopies checks.
	Force bool
	// NumCopies and MinCopies override the configured values when > 0.
	NumCopies, MinCopies int
	// Fast is --fast (MoveTo): trust the location log about the remote.
	Fast bool
	// Acting, when set, is called once the move acts on the item.
	Acting func()
	// Transferring, when set, is called before content is transferred,
	// so the caller can show "to NAME..." or "from NAME...".
	Transferring func()
}

// MoveResult is what a move did.
type MoveResult struct {
	// Skipped is set when there was nothing to do or report: the source
	// does not have the content.
	Skipped bool
	// Transferred is set when content was sent or received (false when
	// the destination already had it and only the source copy was
	// dropped).
	Transferred bool
}

// MoveTo sends it's content to rm and drops it here (git-annex's
// `move --to`). As in git-annex 10.20230126, when rm did not have the
// content before and rm is trusted at least as much as here, moving does
// not lower the number of copies and the drop needs no verification;
// otherwise the local drop follows DropLocal's numcopies rules. A refused
// drop leaves the content here and returns DropLocal's error. Content not
// here is Skipped.
func (r *Repo) MoveTo(ctx context.Context, it Item, rm remote.Remote, opts MoveOptions, m progress.Meter) (MoveResult, error) {
	cres, err := r.CopyToWith(ctx, it, rm, CopyOptions{Fast: opts.Fast, Checking: opts.Acting, Sending: opts.Transferring}, m)
	if err != nil || cres.Skipped && !opts.Fast {
		return MoveResult{Skipped: cres.Skipped}, err
	}
	if cres.Skipped && opts.Acting != nil {
		opts.Acting() // --fast and the log says rm has it: drop here
	}
	started := cres.AlreadyThere || cres.Skipped
	force, err := r.moveDropAllowed(ctx, r.here, rm.UUID(), started)
	if err != nil {
		return MoveResult{}, err
	}
	_, err = r.DropLocal(ctx, it, DropOptions{Force: opts.Force || force, NumCopies: opts.NumCopies, MinCopies: opts.MinCopies})
	return MoveResult{Transferred: !started}, err
}

// MoveFrom gets it's content from rm and drops rm's copy (git-annex's
// `move --from`), with MoveTo's rule for when the drop needs verifying.
// When the content is already here, only rm's copy is dropped; when rm
// does not have it, the item is Skipped.
func (r *Repo) MoveFrom(ctx context.Context, it Item, rm remote.Remote, opts MoveOptions, m progress.Meter) (MoveResult, error) {
	has, err := r.objects.Has(it.Key)
	if err != nil {
		return MoveResult{}, err
	}
	if has {
		present, err := r.remoteHas(ctx, it, rm, false)
		if err != nil || !present {
			return MoveResult{Skipped: !present}, err
		}
		if opts.Acting != nil {
			opts.Acting()
		}
	} else {
		// Get decides first whether rm is worth trying (git-annex's
		// fromOk): a move it passes over is not begun.
		res, err := r.Get(ctx, it, GetOptions{From: rm, Trying: func(remote.Remote) {
			if opts.Acting != nil {
				opts.Acting()
			}
			if opts.Transferring != nil {
				opts.Transferring()
			}
		}}, m)
		if err != nil {
			return MoveResult{}, err
		}
		if res.Skipped {
			return MoveResult{Skipped: true}, nil
		}
		// The copy here must survive a power failure before rm's goes.
		if err := r.Transfers().Sync(ctx); err != nil {
			return MoveResult{}, fmt.Errorf("make %s durable before dropping it from %s: %w", it.Key, rm.Name(), err)
		}
	}
	force, err := r.moveDropAllowed(ctx, rm.UUID(), r.here, has)
	if err != nil {
		return MoveResult{}, err
	}
	_, err = r.DropFrom(ctx, it, rm, DropOptions{Force: opts.Force || force, NumCopies: opts.NumCopies, MinCopies: opts.MinCopies})
	return MoveResult{Transferred: !has}, err
}

// moveDropAllowed is git-annex's willDropMakeItWorse: dropping the source
// after a move needs no numcopies verification when the destination did
// not have the content before and is trusted at least as much as the
// source.
func (r *Repo) moveDropAllowed(ctx context.Context, src, dest uuid.UUID, destStartedWithCopy bool) (bool, error) {
	if destStartedWithCopy {
		return false, nil
	}
	rs, err := r.Repos(ctx)
	if err != nil {
		return false, err
	}
	return rs.Get(dest).Trust >= rs.Get(src).Trust, nil
}
