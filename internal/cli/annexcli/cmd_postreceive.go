package annexcli

import (
	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
)

// newPostReceiveCommand is what the post-receive hook init installs runs.
// git-annex 10.20230126 uses it only to update an adjusted branch checked
// out in a repository that was pushed to (receive.denyCurrentBranch
// updateInstead); Trove has no adjusted branches, so it succeeds quietly
// without touching the repository.
func newPostReceiveCommand(g *invocation.Globals) *cobra.Command {
	return &cobra.Command{
		Use:    "post-receive",
		Short:  "run by git post-receive hook",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE:   func(*cobra.Command, []string) error { return nil },
	}
}
