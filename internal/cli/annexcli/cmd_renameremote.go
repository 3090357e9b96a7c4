package annexcli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

func newRenameRemoteCommand(g *invocation.Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "renameremote NAME NAME",
		Short: "changes name of special remote",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return invocation.Exit(1, "git-annex: Specify an old name (or uuid or description) and a new name.")
			}
			return runRenameRemote(cmd.Context(), g, args[0], args[1])
		},
	}
}

func runRenameRemote(ctx context.Context, g *invocation.Globals, old, new string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	err = s.repo.RenameRemote(ctx, old, new)
	var unknown *annex.UnknownRepoError
	if errors.Is(err, annex.ErrRemoteUsage) || errors.As(err, &unknown) {
		return s.finish(ctx, err)
	}
	// git-annex names the action "rename", without the remote: its line
	// is "rename ok", which an action line with no file cannot give.
	if err == nil && s.g.Face == invocation.FaceAnnex && !s.g.Quiet {
		s.out.Record(ui.Record{Human: "rename ok"})
		return s.finish(ctx, nil)
	}
	s.endSetup(s.out.Begin(ui.Action{Command: "rename", File: old}), err)
	return s.finish(ctx, nil)
}
