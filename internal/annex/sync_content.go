package annex

import (
	"context"
	"errors"
)

// ErrNoContentSync is returned by a sync asked to transfer content before
// the transfer commands it builds on are available.
var ErrNoContentSync = errors.New("sync --content is not available yet in this build: use `git annex get`, `copy --to` and `drop` instead")

// syncContent transfers annexed content between here and the remotes.
func (s *syncRun) syncContent(ctx context.Context) error {
	return ErrNoContentSync
}
