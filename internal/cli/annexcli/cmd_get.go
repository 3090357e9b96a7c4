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
	c := &cobra.Command{
		Use:   "get [PATH ...]",
		Short: "make content of annexed files available",
	}
	withMatching(c, func(cmd *cobra.Command, args []string, terms []MatchTerm) error {
		return withBufferedStdout(g, o.seek.batching(), func(g *invocation.Globals) error {
			return runGet(cmd.Context(), g, o, args, terms)
		})
	})
	f := c.Flags()
	f.StringVarP(&o.from, "from", "f", "", "override default remote to get content from")
	f.BoolVarP(&o.auto, "auto", "a", false, "automatic mode")
	addSeekFlags(c, &o.seek)
	addJSONFlags(c, g, true)
	addJobsFlag(c, g)
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
	err = s.runItems(ctx, "get", o.seek, args, terms, func(ctx context.Context, it annex.Item) bool {
		return s.getFrom(ctx, "get", it, from, o.auto)
	})
	return s.endTransfers(ctx, err)
}
