package annexcli

import (
	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
)

// settingsCommands are the commands that read or change repository-wide
// settings in the git-annex branch, and fsck.
func settingsCommands(g *invocation.Globals) []*cobra.Command {
	return []*cobra.Command{
		newCopiesCommand(g, "numcopies", "configure desired number of copies"),
		newCopiesCommand(g, "mincopies", "configure minimum number of copies"),
		newTrustCommand(g, "trust", "trust a repository"),
		newTrustCommand(g, "untrust", "do not trust a repository"),
		newTrustCommand(g, "semitrust", "return repository to default trust level"),
		newDeadCommand(g),
		newConfigCommand(g),
		newFsckCommand(g),
	}
}
