package annexcli

import (
	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
)

// newMergeCommand is `git annex merge`: merge the git-annex branches and
// the synced/ and remote tracking branches already fetched, without
// touching the network.
func newMergeCommand(g *invocation.Globals) *cobra.Command {
	var o annex.SyncOptions
	c := &cobra.Command{
		Use:   "merge",
		Short: "merge changes from remotes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := rejectJSON(cmd); err != nil {
				return err
			}
			o.NoNetwork = true
			o.Content = annex.ToggleOff
			return runSync(cmd.Context(), g, "merge", o)
		},
	}
	c.Flags().BoolVar(&o.AllowUnrelatedHistories, "allow-unrelated-histories", false, "allow merging unrelated histories")
	c.Flags().Bool("no-allow-unrelated-histories", false, "do not allow merging unrelated histories")
	addRejectedJSONFlags(c)
	return c
}
