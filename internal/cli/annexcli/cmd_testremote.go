package annexcli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
	"github.com/troveproject/trove/internal/units"
)

type testRemoteOptions struct {
	fast bool
	size string
}

func newTestRemoteCommand(g *invocation.Globals) *cobra.Command {
	var opts testRemoteOptions
	c := &cobra.Command{
		Use:   "testremote REMOTE",
		Short: "test transfers to/from a remote",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTestRemote(cmd.Context(), g, opts, args[0])
		},
	}
	c.Flags().BoolVar(&opts.fast, "fast", false, "fast mode")
	c.Flags().StringVar(&opts.size, "size", "1MiB", "base key size (default 1MiB)")
	c.Flags().Bool("test-readonly", false, "readonly test object (not supported)")
	return c
}

func runTestRemote(ctx context.Context, g *invocation.Globals, opts testRemoteOptions, name string) error {
	size, err := units.ParseSize(opts.size)
	if err != nil || size <= 0 {
		return invocation.Exit(1, "git-annex: bad --size %q (a size such as 1MiB)", opts.size)
	}
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	t := s.out.Begin(ui.Action{Command: "testremote", File: name, Input: []string{name}})
	t.Note("generating test keys...")
	var lines []string
	var names []string
	failed, err := s.repo.TestRemote(ctx, name, annex.TestRemoteOptions{Fast: opts.fast, Size: size}, func(r annex.TestRemoteResult) {
		names = append(names, r.Name)
		status := "OK"
		if r.Err != nil {
			status = "FAIL\n      " + r.Err.Error()
		}
		lines = append(lines, r.Name+":\x00"+status)
	})
	if err != nil {
		t.Warn(err.Error())
		t.End(false, nil)
		return s.finish(ctx, nil)
	}
	t.AddNote(ui.Note{Text: testRemoteReport(lines, names, failed), Long: true, HumanOnly: true})
	t.End(failed == 0, nil)
	return s.finish(ctx, nil)
}

// testRemoteReport lays the results out as git-annex's tasty runner does:
// names padded to one column, then OK or FAIL, then a summary.
func testRemoteReport(lines, names []string, failed int) string {
	width := 0
	for _, n := range names {
		width = max(width, len(n)+1)
	}
	var b strings.Builder
	b.WriteString("Remote Tests\n")
	for _, l := range lines {
		n, status, _ := strings.Cut(l, "\x00")
		fmt.Fprintf(&b, "  %-*s %s\n", width, n, status)
	}
	b.WriteString("\n")
	if failed == 0 {
		fmt.Fprintf(&b, "All %d tests passed\n", len(lines))
	} else {
		fmt.Fprintf(&b, "%d out of %d tests failed\n", failed, len(lines))
	}
	return b.String()
}
