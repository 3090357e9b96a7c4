package annexcli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

// exportCommands are the commands that publish trees to and import trees
// from special remotes.
func exportCommands(g *invocation.Globals) []*cobra.Command {
	return []*cobra.Command{newExportCommand(g), newImportCommand(g)}
}

func newExportCommand(g *invocation.Globals) *cobra.Command {
	var opts annex.ExportOptions
	c := &cobra.Command{
		Use:   "export TREEISH --to REMOTE",
		Short: "export a tree of files to a special remote",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Treeish = args[0]
			return runExport(cmd.Context(), g, opts)
		},
	}
	c.Flags().StringVarP(&opts.To, "to", "t", "", "export to this special remote")
	c.Flags().BoolVar(&opts.Tracking, "tracking", false, "track changes to the tree (sets annex-tracking-branch)")
	_ = c.MarkFlagRequired("to")
	addJSONFlags(c, g, true)
	addJobsFlag(c, g)
	return c
}

func runExport(ctx context.Context, g *invocation.Globals, opts annex.ExportOptions) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	err = s.repo.Export(ctx, opts, s.showExportEvent)
	return s.finish(ctx, err)
}

// showExportEvent renders one step of an export as git-annex does:
// "export REMOTE FILE ok", "unexport REMOTE FILE ok",
// "rename REMOTE FROM -> TO ok".
func (s *session) showExportEvent(e annex.ExportEvent) {
	a := ui.Action{Command: e.Kind + " " + e.Remote, File: e.File, Input: []string{}}
	if e.Kind == annex.ExportRename {
		// git-annex names neither file in JSON.
		a.File, a.Subject = "", e.File+" -> "+e.To
	}
	t := s.out.Begin(a)
	if e.Err != nil {
		t.Warn(e.Err.Error())
	}
	t.End(e.Err == nil, nil)
}

// Exported implements annex.SyncExportReporter: sync shows the exports to
// remotes tracking a branch as export does.
func (x *syncTransfers) Exported(e annex.ExportEvent) { x.s.showExportEvent(e) }

var _ annex.SyncExportReporter = (*syncTransfers)(nil)
