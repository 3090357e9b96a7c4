package annexcli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

func newConfigRemoteCommand(g *invocation.Globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "configremote NAME PARAM=VALUE ...",
		Short: "changes special remote configuration",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := annex.ConfigRemoteOptions{}
			if len(args) > 0 {
				opts.Name, opts.Params = args[0], args[1:]
			}
			return runConfigRemote(cmd.Context(), g, opts)
		},
	}
	addJSONFlags(c, g, false)
	return c
}

// runConfigRemote is git-annex's configremote: an unknown or ambiguous
// name fails before the action starts; a refused setting fails the
// "configremote NAME" action.
func runConfigRemote(ctx context.Context, g *invocation.Globals, opts annex.ConfigRemoteOptions) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	sr, err := s.repo.FindConfigRemote(ctx, opts.Name)
	if err != nil {
		return s.finish(ctx, err)
	}
	t := s.out.Begin(ui.Action{Command: "configremote", Subject: opts.Name, Input: []string{opts.Name}})
	_, err = s.repo.ConfigRemote(ctx, sr, opts.Params)
	if errors.Is(err, annex.ErrRemoteUsage) {
		return s.finish(ctx, err)
	}
	s.endSetup(t, err)
	return s.finish(ctx, nil)
}
