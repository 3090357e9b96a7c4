package annex

import "github.com/troveproject/trove/internal/remote/web"

// WebOptions returns the repository's settings for web access:
// annex.security.allowed-url-schemes, annex.security.allowed-ip-addresses
// and annex.web-cost from git config (with -c overrides). The web remote
// and addurl both use them.
func (r *Repo) WebOptions() web.Options {
	return web.ConfigOptions(r.cfg.Git().Get)
}
