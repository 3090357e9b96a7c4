package annex

import (
	"context"
	"errors"
	"fmt"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/policy"
	"github.com/troveproject/trove/internal/uuid"
)

// ErrTrustNeedsForce is wrapped by the error SetTrust returns when asked
// to trust a repository without force.
var ErrTrustNeedsForce = errors.New("trusting a repository needs --force")

// TrustNeedsForceError carries git-annex's refusal to trust a repository
// without --force. errors.Is(err, ErrTrustNeedsForce) holds.
type TrustNeedsForceError struct{ Name string }

func (e *TrustNeedsForceError) Error() string {
	return "Trusting a repository can lead to data loss. If you're sure you know what you're doing, use --force to make this take effect. If you choose to do so, bear in mind that any time you drop content from " +
		e.Name + ", you will risk losing data."
}

// Is makes errors.Is(err, ErrTrustNeedsForce) true.
func (e *TrustNeedsForceError) Is(target error) bool { return target == ErrTrustNeedsForce }

// SetTrust records level as the trust of repository u in trust.log
// (`git annex trust/semitrust/untrust/dead`), stamped with the vector
// clock rule. Trusting needs force; name is how the user named u, for the
// refusal message. Like git-annex it writes even when the level is
// unchanged. It returns the level now in effect when a local
// remote.<name>.annex-trustlevel overrides the recorded one.
func (r *Repo) SetTrust(ctx context.Context, u uuid.UUID, name string, level policy.TrustLevel, force bool) (override policy.TrustLevel, overridden bool, err error) {
	if level >= policy.Trusted && !force {
		return 0, false, &TrustNeedsForceError{Name: name}
	}
	var lv logs.TrustLevel
	switch level {
	case policy.Trusted:
		lv = logs.Trusted
	case policy.UnTrusted:
		lv = logs.UnTrusted
	case policy.Dead:
		lv = logs.DeadTrusted
	default:
		lv = logs.SemiTrusted
	}
	now := r.now()
	if err := r.changeBranch(ctx, logs.TrustLog, func(old []byte) []byte {
		return logs.SetTrust(old, u, lv, now)
	}); err != nil {
		return 0, false, fmt.Errorf("set trust of %s: %w", name, err)
	}
	for _, rem := range r.cfg.Remotes {
		if rem.UUID != u || rem.TrustLevel == "" {
			continue
		}
		if t, ok := policy.ParseTrustLevel(rem.TrustLevel); ok && t != level {
			return t, true, nil
		}
	}
	return level, false, nil
}

// ErrKeyStillPresent is returned by DeadKey for a key that some repository
// is still recorded to have.
var ErrKeyStillPresent = errors.New( //nolint:staticcheck // git-annex's exact message
	"This key is still known to be present in some locations; not marking as dead.") //nolint:revive // git-annex's exact message

// DeadKey marks k as dead in its location log (`git annex dead --key`):
// every repository recorded as not having it gets a dead record one
// picosecond newer. It fails with ErrKeyStillPresent when any repository
// is recorded to have k. Marking a key twice changes nothing.
func (r *Repo) DeadKey(ctx context.Context, k key.Key) error {
	locs, err := r.Locations(ctx, k)
	if err != nil {
		return fmt.Errorf("dead --key %s: %w", k, err)
	}
	if len(locs) > 0 {
		return ErrKeyStillPresent
	}
	p := logs.LocationLogPath(k, r.cfg.BranchHash1)
	data, err := r.branch.Get(ctx, p)
	if err != nil {
		return fmt.Errorf("dead --key %s: %w", k, err)
	}
	if _, changed := logs.MarkDead(data); !changed {
		return nil
	}
	return r.changeBranch(ctx, p, func(old []byte) []byte {
		out, changed := logs.MarkDead(old)
		if !changed {
			return old
		}
		return out
	})
}
