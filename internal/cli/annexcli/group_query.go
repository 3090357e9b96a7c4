package annexcli

import (
	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
)

// queryCommands are the commands that report on files, keys and the
// repository: whereis, list, find, info and the key plumbing.
func queryCommands(g *invocation.Globals) []*cobra.Command {
	return nil
}
