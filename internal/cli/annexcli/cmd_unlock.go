package annexcli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
)

func newUnlockCommand(g *invocation.Globals) *cobra.Command {
	c := &cobra.Command{
		Use:     "unlock [PATH ...]",
		Aliases: []string{"edit"},
		Short:   "unlock files for modification",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runUnlock(cmd.Context(), g, args)
		},
	}
	addJSONFlags(c, g, false)
	addJobsFlag(c, g)
	return c
}

func runUnlock(ctx context.Context, g *invocation.Globals, args []string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	inputs, typed, ok := s.worktreeInputs("unlock", args)
	if !ok {
		return s.finish(ctx, nil)
	}
	changed, err := s.repo.Unlock(ctx, annex.UnlockOptions{Inputs: inputs}, s.fileEmitter("unlock", typed))
	s.staged(changed)
	return s.finish(ctx, err)
}
