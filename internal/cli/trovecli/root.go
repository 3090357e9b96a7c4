// Package trovecli is Trove's own command line: dataset commands in
// DataLad's spirit, and every git-annex command under `trove annex`.
package trovecli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/annexcli"
	"github.com/troveproject/trove/internal/cli/invocation"
)

const longHelp = `Trove keeps large files and datasets in git without putting their content
in git, and is compatible with git-annex v10 repositories byte for byte.

The one binary has two faces:

  trove ...        Trove's own commands, with clearer output and parallel
                   transfers by default. Every git-annex command is available
                   as "trove annex <command>".

  git-annex ...    When started under the name git-annex (a symlink, made by
                   install.sh), the binary is git-annex's command line: the
                   same commands, options, --json output and exit codes, so
                   tutorials, scripts and DataLad run unchanged.

Start with:
  trove annex init "my laptop"     make this git repository an annex
  trove annex add photos/          annex files (content moves to .git/annex)
  trove annex whereis photos/      see where the content of each file is`

// Run parses args as a trove command line and runs the command.
func Run(ctx context.Context, g *invocation.Globals, args []string) error {
	root := &cobra.Command{
		Use:           "trove",
		Short:         "large files and datasets in git, compatible with git-annex",
		Long:          longHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(g.Stdio.In)
	root.SetOut(g.Stdio.Out)
	root.SetErr(g.Stdio.Err)
	annex := annexcli.NewRoot(g, "annex")
	annex.Short = "run a git-annex command (trove annex <command> ...)"
	root.AddCommand(annex)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var ec invocation.ExitCoder
	if err != nil && !errors.As(err, &ec) {
		return invocation.Exit(1, "trove: %v\nRun `trove --help` for the list of commands.", err)
	}
	return err
}
