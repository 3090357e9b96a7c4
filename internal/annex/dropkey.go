package annex

import (
	"context"
	"errors"
	"fmt"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/objectstore"
)

// DropKey removes k's content from this repository as git-annex's
// `dropkey` plumbing does: without any numcopies, mincopies or
// required-content check (the command insists on --force for that
// reason). Content that is not present is not an error, and then nothing
// is recorded. After a removal the location log records this repository
// as missing k in the journal, which is not committed: as with
// git-annex's dropkey (noCommit), the next command commits it.
//
// removed reports whether content was removed. Content in use (locked by
// a running get, drop or git-annex) fails with an error wrapping
// objectstore.ErrContentLocked that names the key. Safe for concurrent
// use on different keys. Unlocked work-tree files holding the content
// unmodified become pointer files again (see removeContent).
func (r *Repo) DropKey(ctx context.Context, k key.Key) (removed bool, err error) {
	lock, err := r.objects.LockForRemoval(ctx, k)
	switch {
	case errors.Is(err, objectstore.ErrNotPresent):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("dropkey %s: %w (retry when the other command is done)", k, err)
	}
	defer func() { _ = lock.Release() }() // a failed release leaves only a stale lock file
	if err := r.removeContent(ctx, lock, nil); err != nil {
		return false, fmt.Errorf("dropkey %s: %w", k, err)
	}
	now := r.now()
	err = r.branch.Change(ctx, logs.LocationLogPath(k, r.cfg.BranchHash1), func(old []byte) []byte {
		if out, changed := logs.AddLocation(old, r.here, logs.Missing, now); changed {
			return out
		}
		return old
	})
	if err != nil {
		return true, fmt.Errorf("dropkey %s: record that it was dropped: %w (run `git annex fsck --key %s` to fix the location log)", k, err, k)
	}
	return true, nil
}
