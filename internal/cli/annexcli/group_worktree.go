package annexcli

import (
	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
)

// worktreeCommands are the commands that change how files sit in the work
// tree: unlock, lock, fromkey, unannex, uninit and the git hooks.
func worktreeCommands(g *invocation.Globals) []*cobra.Command {
	return nil
}
