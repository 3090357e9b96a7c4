package annexcli

import (
	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
)

// settingsCommands are the commands that read or change repository-wide
// settings in the git-annex branch, and fsck.
func settingsCommands(g *invocation.Globals) []*cobra.Command {
	return nil
}
