package annex

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// SetPresentKey records in k's location log that repository u has k
// (logs.Present), lacks it (logs.Missing) or lost it for good (logs.Dead),
// as git-annex's setpresentkey plumbing: u need not be a known repository,
// a record of the status the log already holds changes nothing, and the
// change stays in the journal without a commit (git-annex's noCommit; the
// next command commits it). Safe for concurrent use.
func (r *Repo) SetPresentKey(ctx context.Context, k key.Key, u uuid.UUID, st logs.Status) error {
	now := r.now()
	err := r.branch.Change(ctx, logs.LocationLogPath(k, r.cfg.BranchHash1), func(old []byte) []byte {
		if out, changed := logs.AddLocation(old, u, st, now); changed {
			return out
		}
		return old
	})
	if err != nil {
		return fmt.Errorf("setpresentkey %s %s: %w", k, u, err)
	}
	return nil
}

// ErrTorrentUnchecked is the answer of the bittorrent special remote,
// which git-annex lists among every repository's remotes, to any presence
// check (git-annex's own words).
var ErrTorrentUnchecked = errors.New("cannot reliably check torrent status")

// CheckPresentKey asks the remotes whether one of them has k, as
// git-annex's checkpresentkey without a remote does: first the remotes
// the location log says have k, then the others, each in cost order, and
// last the built-in bittorrent remote, which can never tell. It returns
// true at the first remote that has k, and otherwise false with
// ErrTorrentUnchecked, the failure of the bittorrent remote asked last.
// (git-annex reports the last failure, which differs only when a webdav
// or external remote, which it tries after bittorrent, failed too.)
// This repository's own copy does not count. A cancelled ctx is returned
// as its error.
func (r *Repo) CheckPresentKey(ctx context.Context, k key.Key) (bool, error) {
	rms, err := r.Remotes(ctx)
	if err != nil {
		return false, err
	}
	locs, err := r.Locations(ctx, k)
	if err != nil {
		return false, fmt.Errorf("location log of %s: %w", k, err)
	}
	likely := func(rm remote.Remote) bool { return slices.Contains(locs, rm.UUID()) }
	ordered := slices.Concat(
		slices.DeleteFunc(slices.Clone(rms), func(rm remote.Remote) bool { return !likely(rm) }),
		slices.DeleteFunc(slices.Clone(rms), likely))
	for _, rm := range ordered {
		ok, err := rm.CheckPresent(ctx, k)
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		if err == nil && ok {
			return true, nil
		}
	}
	return false, ErrTorrentUnchecked
}
