package annexcli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
)

// newPreCommitCommand is what the pre-commit hook init installs runs.
func newPreCommitCommand(g *invocation.Globals) *cobra.Command {
	return &cobra.Command{
		Use:    "pre-commit [PATH ...]",
		Short:  "run by git pre-commit hook",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPreCommit(cmd.Context(), g, args)
		},
	}
}

func runPreCommit(ctx context.Context, g *invocation.Globals, args []string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	inputs, typed, ok := s.worktreeInputs("fix", args)
	if !ok {
		return s.finish(ctx, nil)
	}
	if len(inputs) == 1 && inputs[0] == "." {
		inputs = nil
	}
	changed, err := s.repo.PreCommit(ctx, inputs, s.fileEmitter("fix", typed))
	s.staged(changed)
	return s.finish(ctx, err)
}
