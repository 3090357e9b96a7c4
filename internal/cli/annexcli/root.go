// Package annexcli is git-annex's command line: the same commands, options,
// human output, --json output and exit codes, so that scripts, tutorials and
// DataLad run unchanged. One file per command, cmd_<verb>.go.
package annexcli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
)

// Run parses args as a git-annex command line and runs the command.
func Run(ctx context.Context, g *invocation.Globals, args []string) error {
	root := NewRoot(g, "git-annex")
	root.SetArgs(args)
	return execute(ctx, root, g)
}

// NewRoot builds the git-annex command tree. use is the name shown in help:
// "git-annex" for the git-annex face, "annex" under `trove`.
func NewRoot(g *invocation.Globals, use string) *cobra.Command {
	root := &cobra.Command{
		Use:           use,
		Short:         "manage files with git, without checking their contents in",
		SilenceUsage:  true,
		SilenceErrors: true,
		// Without a known command git-annex prints its usage and fails.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return invocation.Exit(1, "%s: unknown command %q\nRun `%s --help` for the list of commands.", use, args[0], cmd.CommandPath())
			}
			cmd.SetOut(g.Stdio.Err)
			_ = cmd.Usage()
			return invocation.Exit(1, "Missing: COMMAND")
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetIn(g.Stdio.In)
	root.SetOut(g.Stdio.Out)
	root.SetErr(g.Stdio.Err)
	addGlobalFlags(root, g)
	for _, c := range commands(g) {
		root.AddCommand(c)
	}
	return root
}

// commands returns every git-annex command this build implements.
func commands(g *invocation.Globals) []*cobra.Command {
	cmds := []*cobra.Command{
		newVersionCommand(g),
		newInitCommand(g),
		newDescribeCommand(g),
		newAddCommand(g),
		newFilterProcessCommand(g),
		newSmudgeCommand(g),
		newDropCommand(g),
	}
	cmds = append(cmds, queryCommands(g)...)
	cmds = append(cmds, worktreeCommands(g)...)
	cmds = append(cmds, settingsCommands(g)...)
	cmds = append(cmds, syncCommands(g)...)
	cmds = append(cmds, transferCommands(g)...)
	cmds = append(cmds, specialRemoteCommands(g)...)
	cmds = append(cmds, urlCommands(g)...)
	cmds = append(cmds, exportCommands(g)...)
	cmds = append(cmds, newTestRemoteCommand(g))
	return cmds
}

// addGlobalFlags adds the options git-annex accepts with every command.
func addGlobalFlags(root *cobra.Command, g *invocation.Globals) {
	f := root.PersistentFlags()
	f.StringArrayVarP(&g.ConfigParams, "config", "c", nil, "override git configuration setting (NAME=VALUE)")
	f.BoolVarP(&g.Quiet, "quiet", "q", false, "avoid verbose output")
	f.BoolP("verbose", "v", false, "allow verbose output (default)")
	f.BoolVarP(&g.Debug, "debug", "d", false, "show debug messages")
	f.Bool("no-debug", false, "don't show debug messages")
	f.String("debugfilter", "", "show debug messages coming from a module")
	f.BoolVar(&g.Force, "force", false, "allow actions that may lose annexed data")
	f.BoolVarP(&g.Fast, "fast", "F", false, "avoid slow operations")
	f.IntVarP(&g.NumCopies, "numcopies", "N", -1, "override desired number of copies")
	f.IntVar(&g.MinCopies, "mincopies", -1, "override minimum number of copies")
	f.String("user-agent", "", "override default User-Agent")
	for _, hidden := range []string{"verbose", "no-debug", "debugfilter", "user-agent"} {
		_ = f.MarkHidden(hidden)
	}
}

// addJSONFlags adds --json, --json-progress and --json-error-messages to a
// command that supports JSON output in git-annex.
func addJSONFlags(c *cobra.Command, g *invocation.Globals, progress bool) {
	c.Flags().BoolVarP(&g.JSON, "json", "j", false, "enable JSON output")
	c.Flags().BoolVar(&g.JSONErrorMessages, "json-error-messages", false, "include error messages in JSON")
	if progress {
		c.Flags().BoolVar(&g.JSONProgress, "json-progress", false, "include progress in JSON output")
	}
}

// addJobsFlag adds -J/--jobs.
func addJobsFlag(c *cobra.Command, g *invocation.Globals) {
	c.Flags().StringVarP(&g.Jobs, "jobs", "J", "", "enable concurrent jobs (NUMBER or cpus)")
}

func execute(ctx context.Context, root *cobra.Command, g *invocation.Globals) error {
	err := root.ExecuteContext(ctx)
	if err == nil {
		return nil
	}
	if _, ok := err.(invocation.ExitCoder); ok {
		return err
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand flag") {
		return invocation.Exit(1, "git-annex: %s\nRun `git-annex --help` for the list of commands and options.", msg)
	}
	return err
}
