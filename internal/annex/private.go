package annex

import (
	"context"
)

// makePrivate marks the special remote being set up as private, as
// git-annex's initremote --private does before anything is recorded:
// remote.<name>.annex-private=true in the git config, and the branch keeps
// every record naming the remote's UUIDs in .git/annex/journal-private
// from now on (annexbranch.Branch.AddPrivate).
func (r *Repo) makePrivate(ctx context.Context, res SpecialRemoteResult) error {
	if err := setConfig(ctx, r.git, "remote."+res.Name+".annex-private", "true"); err != nil {
		return err
	}
	r.branch.AddPrivate(res.UUID, res.ConfigUUID)
	return nil
}
