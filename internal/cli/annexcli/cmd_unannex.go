package annexcli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
)

// unannex has no --json in git-annex 10.20230126.
func newUnannexCommand(g *invocation.Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "unannex [PATH ...]",
		Short: "undo accidental add command",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runUnannex(cmd.Context(), g, args)
		},
	}
}

func runUnannex(ctx context.Context, g *invocation.Globals, args []string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	inputs, typed, ok := s.worktreeInputs("unannex", args)
	if !ok {
		return s.finish(ctx, nil)
	}
	changed, err := s.repo.Unannex(ctx, annex.UnannexOptions{Inputs: inputs, Fast: g.Fast}, s.fileEmitter("unannex", typed))
	s.staged(changed)
	return s.finish(ctx, err)
}
