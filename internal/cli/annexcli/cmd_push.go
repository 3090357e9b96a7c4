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
		f.opts.NoGet = true
	})
}

// newOneWayCommand builds push or pull: a sync with one direction turned
// off and no commit. Content moves with --content (or annex.synccontent),
// in the command's direction only: push sends and drops what remotes do
// not want, pull gets and drops what is not wanted here. (Later git-annex
// moves content by default.)
func newOneWayCommand(g *invocation.Globals, name, short string, direction func(*syncFlags)) *cobra.Command {
	var f syncFlags
	c := &cobra.Command{
		Use:   name + " [REMOTE ...]",
		Short: short,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := rejectJSON(cmd); err != nil {
				return err
			}
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
	addRejectedJSONFlags(c)
	return c
}
