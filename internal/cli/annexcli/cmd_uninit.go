package annexcli

import (
	"context"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
)

func newUninitCommand(g *invocation.Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "uninit",
		Short: "de-initialize git-annex and clean out repository",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runUninit(cmd.Context(), g)
		},
	}
}

func runUninit(ctx context.Context, g *invocation.Globals) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	rep, err := s.repo.Uninit(ctx, s.fileEmitter("unannex", nil))
	s.staged(rep.Staged)
	for _, h := range rep.KeptHooks {
		p := filepath.Join(".git", "hooks", h)
		s.out.Warn(h + " hook (" + p + ") contents modified; not deleting. Edit it to remove call to git annex.")
	}
	if rep.DeletedBranch != "" {
		s.out.Info(rep.DeletedBranch)
	}
	// annex.ErrNotFullyUninitialized reads as git-annex's explanation.
	return s.finish(ctx, err)
}
