package annexcli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
)

func newLockCommand(g *invocation.Globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "lock [PATH ...]",
		Short: "undo unlock command",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLock(cmd.Context(), g, args)
		},
	}
	addJSONFlags(c, g, false)
	addJobsFlag(c, g)
	return c
}

func runLock(ctx context.Context, g *invocation.Globals, args []string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	inputs, typed, ok := s.worktreeInputs("lock", args)
	if !ok {
		return s.finish(ctx, nil)
	}
	changed, err := s.repo.Lock(ctx, annex.LockOptions{Inputs: inputs, Force: g.Force}, s.fileEmitter("lock", typed))
	s.staged(changed)
	return s.finish(ctx, err)
}
