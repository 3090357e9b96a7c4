package annexcli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/ui"
)

func newImportCommand(g *invocation.Globals) *cobra.Command {
	var opts annex.ImportOptions
	c := &cobra.Command{
		Use:   "import BRANCH[:SUBDIR] --from REMOTE",
		Short: "import a tree of files from a special remote",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Branch = args[0]
			return runImport(cmd.Context(), g, opts)
		},
	}
	c.Flags().StringVarP(&opts.From, "from", "f", "", "import from this special remote")
	c.Flags().BoolVar(&opts.NoContent, "no-content", false, "do not get the contents of imported files")
	_ = c.MarkFlagRequired("from")
	addJSONFlags(c, g, true)
	addJobsFlag(c, g)
	return c
}

func runImport(ctx context.Context, g *invocation.Globals, opts annex.ImportOptions) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	opts.Jobs = transferJobs(g, s.repo, false)
	err = s.repo.Import(ctx, opts, importReporter{s})
	return s.finish(ctx, err)
}

// importReporter renders an import as git-annex does: "list R ok",
// "import R FILE ok" per file read, "update REF ok" (JSON: commands
// "list", "import R", "update", with a null file).
type importReporter struct{ s *session }

func (x importReporter) step(command, subject string, err error) {
	t := x.s.out.Begin(ui.Action{Command: command, Subject: subject, Input: []string{}})
	if err != nil {
		t.Warn(err.Error())
	}
	t.End(err == nil, nil)
}

// Listed implements annex.ImportReporter.
func (x importReporter) Listed(remote string, err error) { x.step("list", remote, err) }

// Updated implements annex.ImportReporter.
func (x importReporter) Updated(ref string, err error) { x.step("update", ref, err) }

// Importing implements annex.ImportReporter.
func (x importReporter) Importing(remote, file string) (progress.Meter, func(key.Key, error)) {
	t := x.s.out.Begin(ui.Action{Command: "import " + remote, Subject: file, Input: []string{}})
	return t, func(_ key.Key, err error) {
		if err != nil {
			t.Warn(err.Error())
		}
		t.End(err == nil, nil)
	}
}

var _ annex.ImportReporter = importReporter{}
