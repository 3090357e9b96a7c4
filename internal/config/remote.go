package config

import (
	"strconv"
	"strings"

	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/uuid"
)

// Remote holds the git-annex settings of one remote (remote.<name>.*).
type Remote struct {
	Name       string
	URL        string    // remote.<name>.url; "" for special remotes
	UUID       uuid.UUID // annex-uuid; empty when not yet known
	Cost       float64   // annex-cost, meaningful when HasCost
	HasCost    bool
	Ignore     bool   // annex-ignore (default false)
	ReadOnly   bool   // annex-readonly (default false)
	TrustLevel string // annex-trustlevel as written ("trusted", "untrusted", ...); "" when unset
	Sync       bool   // annex-sync (default true)
	Push       bool   // annex-push (default true)
	Pull       bool   // annex-pull (default true)
}

// remotes lists every remote.<name> that has a url or any annex-* setting
// (special remotes have no url), in configuration order.
func remotes(g *gitcmd.Config) []Remote {
	var out []Remote
	for _, name := range g.Subsections("remote") {
		p := "remote." + name + "."
		if _, ok := g.Get(p + "url"); !ok && !hasAnnexSetting(g, p) {
			continue
		}
		r := Remote{
			Name:       name,
			URL:        str(g, p+"url", ""),
			UUID:       uuid.UUID(str(g, p+"annex-uuid", "")),
			Ignore:     boolOr(g, p+"annex-ignore", false),
			ReadOnly:   boolOr(g, p+"annex-readonly", false),
			TrustLevel: str(g, p+"annex-trustlevel", ""),
			Sync:       boolOr(g, p+"annex-sync", true),
			Push:       boolOr(g, p+"annex-push", true),
			Pull:       boolOr(g, p+"annex-pull", true),
		}
		if v, ok := g.Get(p + "annex-cost"); ok {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				r.Cost, r.HasCost = f, true
			}
		}
		out = append(out, r)
	}
	return out
}

// hasAnnexSetting reports whether any variable under prefix is annex-*.
func hasAnnexSetting(g *gitcmd.Config, prefix string) bool {
	for _, e := range g.Entries() {
		if strings.HasPrefix(e.Name, prefix+"annex-") {
			return true
		}
	}
	return false
}
