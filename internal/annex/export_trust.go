package annex

import (
	"context"

	"github.com/troveproject/trove/internal/policy"
	"github.com/troveproject/trove/internal/remote"
)

// untrustExports marks the configured special remotes that hold exported
// or imported trees (exporttree=yes or importtree=yes, without
// versioning=yes) as untrusted, over trust.log and annex-trustlevel, as
// git-annex does: anyone may change the files of such a remote, so it
// never counts as a copy when dropping.
func (r *Repo) untrustExports(ctx context.Context, rs *Repos) error {
	var entries map[string]remote.Config
	for _, rem := range r.cfg.Remotes {
		if rem.URL != "" || rem.UUID.IsZero() {
			continue
		}
		if entries == nil {
			log, err := r.remoteLog(ctx)
			if err != nil {
				return err
			}
			entries = map[string]remote.Config{}
			for u, e := range log {
				entries[string(u)] = withInherited(remote.Config(e.Value), log)
			}
		}
		cfg := entries[string(configUUIDOf(r.cfg, rem))]
		if (cfg["exporttree"] == "yes" || cfg["importtree"] == "yes") && cfg["versioning"] != "yes" {
			if k, ok := rs.byUUID[rem.UUID]; ok {
				k.Trust = policy.UnTrusted
			}
		}
	}
	return nil
}
