package annexcli

import (
	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
)

// newPullCommand is `git annex pull`, which git-annex 10.20230126 lacks
// and later versions define as a sync that only pulls: no commit, no push.
func newPullCommand(g *invocation.Globals) *cobra.Command {
	return newOneWayCommand(g, "pull", "pull content and git branches from remotes", func(f *syncFlags) {
		f.noPush = true
		f.opts.NoSend = true
	})
}
