package gitlocal

import (
	"context"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// Peer is the other repository's side of a local git remote: the
// operations git-annex performs inside the remote repository. Each method
// updates the peer's own location log as git-annex does (present after
// PeerReceive, missing after PeerRemove). Implementations are safe for
// concurrent use.
type Peer interface {
	// PeerHasKey reports whether the peer holds k's content, in either
	// hash-directory layout. The error is non-nil only when presence
	// cannot be determined.
	PeerHasKey(ctx context.Context, k key.Key) (bool, error)
	// PeerLockContent takes a shared content lock on k in the peer and
	// returns its release function. It fails with an error wrapping
	// remote.ErrNotPresent when the peer lacks k, and remote.ErrLocked when
	// the content is being removed there.
	PeerLockContent(ctx context.Context, k key.Key) (unlock func() error, err error)
	// PeerReceive stores the content src holds as k in the peer, verifying
	// it against k; having k already is success.
	PeerReceive(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error
	// PeerSend writes k's content into dst from dst.Offset() on, holding a
	// shared content lock while it reads. It fails with an error wrapping
	// remote.ErrNotPresent when the peer lacks k.
	PeerSend(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error
	// PeerRemove removes k's content under the removal lock; an absent key
	// is not an error, content locked by another process fails with an
	// error wrapping remote.ErrLocked.
	PeerRemove(ctx context.Context, k key.Key) error
}
