package annexcli

import (
	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
)

func newUnregisterURLCommand(g *invocation.Globals) *cobra.Command {
	var batch batchOptions
	c := &cobra.Command{
		Use:   "unregisterurl KEY URL",
		Short: "unregisters an url for a key",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runKeyURL(cmd.Context(), g, batch, args, (*annex.Repo).UnregisterURL)
		},
	}
	addJSONFlags(c, g, false)
	addBatchFlags(c, &batch)
	return c
}
