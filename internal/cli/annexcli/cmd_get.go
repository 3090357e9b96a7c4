package annexcli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/remote"
)

// getOptions are the flags of `git annex get`.
type getOptions struct {
	seek seekFlags
	from string
	auto bool
}

func newGetCommand(g *invocation.Globals) *cobra.Command {
	var o getOptions
	c := newItemsCommand(g, "get [PATH ...]", "make content of annexed files available", &o.seek, true, func(ctx context.Context, g *invocation.Globals, args []string, terms []MatchTerm) error {
		return runGet(ctx, g, o, args, terms)
	})
	f := c.Flags()
	f.StringVarP(&o.from, "from", "f", "", "override default remote to get content from")
	f.BoolVarP(&o.auto, "auto", "a", false, "automatic mode")
	return c
}

func runGet(ctx context.Context, g *invocation.Globals, o getOptions, args []string, terms []MatchTerm) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	var from remote.Remote
	if o.from != "" {
		if from, err = s.remoteNamed(ctx, o.from); err != nil {
			return s.finish(ctx, err)
		}
	}
	err = s.runItems(ctx, "get", from, o.seek, args, terms, func(ctx context.Context, it annex.Item) bool {
		return s.getFrom(ctx, "get", it, from, o.auto)
	})
	return s.endTransfers(ctx, err)
}
