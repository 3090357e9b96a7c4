package annexcli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

// unusedOptions are the flags of `git annex unused`.
type unusedOptions struct {
	from    string
	refspec string
}

func newUnusedCommand(g *invocation.Globals) *cobra.Command {
	var o unusedOptions
	c := &cobra.Command{
		Use:   "unused",
		Short: "look for unused file content",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := rejectJSON(cmd); err != nil {
				return err
			}
			return runUnused(cmd.Context(), g, o, cmd.Flags().Changed("used-refspec"))
		},
	}
	f := c.Flags()
	f.StringVarP(&o.from, "from", "f", "", "remote to check for unused content")
	f.StringVar(&o.refspec, "used-refspec", "", "refs to consider used (default: all branches)")
	addRejectedJSONFlags(c)
	return c
}

func runUnused(ctx context.Context, g *invocation.Globals, o unusedOptions, refspecGiven bool) error {
	opts := annex.UnusedOptions{From: o.from, Fast: g.Fast}
	if refspecGiven {
		spec, err := annex.ParseRefSpec(o.refspec)
		if err != nil {
			return invocation.Exit(1, "git-annex: option --used-refspec: %v", err)
		}
		opts.RefSpec = &spec
	}
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	name := o.from
	if name == "" || name == "here" {
		name = "."
	}
	t := s.out.Begin(ui.Action{Command: "unused", File: name})
	opts.Note = func(step string) { t.Note(step + "...") }
	if g.Fast {
		t.Note("fast mode enabled; only finding stale files")
	}
	rep, err := s.repo.Unused(ctx, opts)
	if err != nil {
		t.Warn(err.Error())
		t.End(false, nil)
		return s.finish(ctx, nil)
	}
	for _, text := range unusedMessages(rep) {
		t.AddNote(ui.Note{Text: text, Long: true})
	}
	t.End(true, nil)
	return s.finish(ctx, nil)
}

// unusedMessages are git-annex's reports of the non-empty lists, each a
// block of lines ending in a newline.
func unusedMessages(rep annex.UnusedReport) []string {
	var out []string
	if len(rep.Content) > 0 {
		header, from := "Some annexed data is no longer used by any files:", ""
		if rep.Remote != "" {
			header = "Some annexed data on " + rep.Remote + " is not used by any files:"
			from = " --from " + rep.Remote
		}
		lines := append([]string{header}, unusedTable(rep.Content)...)
		lines = append(lines, "(To see where this data was previously used, run: git annex whereused --historical --unused")
		if rep.Remote == "" || rep.RemoteKnown {
			lines = append(lines, dropUnusedHint(from))
		}
		out = append(out, unlines(lines))
	}
	if len(rep.Bad) > 0 {
		lines := append([]string{"Some corrupted files have been preserved by fsck, just in case:"}, unusedTable(rep.Bad)...)
		out = append(out, unlines(append(lines, dropUnusedHint(""))))
	}
	if len(rep.Tmp) > 0 {
		lines := append([]string{"Some partially transferred data exists in temporary files:"}, unusedTable(rep.Tmp)...)
		out = append(out, unlines(append(lines, dropUnusedHint(""))))
	}
	return out
}

// unusedTable is the NUMBER/KEY table of a list.
func unusedTable(es []annex.UnusedLogEntry) []string {
	lines := []string{"  NUMBER  KEY"}
	for _, e := range es {
		lines = append(lines, fmt.Sprintf("  %-6s  %s", strconv.Itoa(e.Number), e.Key))
	}
	return lines
}

func dropUnusedHint(from string) string {
	return "\nTo remove unwanted data: git-annex dropunused" + from + " NUMBER\n"
}

// unlines is Haskell's unlines: every line followed by a newline.
func unlines(lines []string) string {
	return strings.Join(lines, "\n") + "\n"
}

// addRejectedJSONFlags accepts the JSON options so that rejectJSON can
// refuse them as git-annex does for commands without JSON output.
func addRejectedJSONFlags(c *cobra.Command) {
	f := c.Flags()
	f.BoolP("json", "j", false, "")
	f.Bool("json-progress", false, "")
	f.Bool("json-error-messages", false, "")
	for _, n := range []string{"json", "json-progress", "json-error-messages"} {
		_ = f.MarkHidden(n)
	}
}

// rejectJSON fails as git-annex does when a JSON option is given to a
// command that has no JSON output.
func rejectJSON(cmd *cobra.Command) error {
	for _, n := range []string{"json", "json-progress", "json-error-messages"} {
		if cmd.Flags().Changed(n) {
			return invocation.Exit(1, "Invalid option `--%s'\n\n`git annex %s` has no JSON output; run it without --%s.", n, cmd.Name(), n)
		}
	}
	return nil
}
