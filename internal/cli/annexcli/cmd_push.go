package annexcli

import (
	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
)

// newPushCommand is `git annex push`, which git-annex 10.20230126 lacks
// and later versions define as a sync that only pushes: no commit, no
// pull.
func newPushCommand(g *invocation.Globals) *cobra.Command {
	return newOneWayCommand(g, "push", "push content and git branches to remotes", func(f *syncFlags) {
		f.noPull = true
	})
}

// newOneWayCommand builds push or pull: a sync with one direction turned
// off and no commit. Content moves with --content (later git-annex moves
// it by default; Trove will once sync --content is built).
func newOneWayCommand(g *invocation.Globals, name, short string, direction func(*syncFlags)) *cobra.Command {
	var f syncFlags
	c := &cobra.Command{
		Use:   name + " [REMOTE ...]",
		Short: short,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.opts.Remotes = args
			direction(&f)
			o := f.options()
			if o.Commit == annex.ToggleDefault {
				o.Commit = annex.ToggleOff
			}
			return runSync(cmd.Context(), g, name, o)
		},
	}
	addSyncFlags(c, g, &f)
	return c
}
