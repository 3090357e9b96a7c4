package annexcli

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

// newCopiesCommand builds `numcopies [N]` or `mincopies [N]` (name).
func newCopiesCommand(g *invocation.Globals, name, short string) *cobra.Command {
	return &cobra.Command{
		Use:   name + " [NUMBER]",
		Short: short,
		// A negative number must reach us as an argument, not a flag.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCopies(cmd.Context(), g, annex.CopiesSetting(name), args)
		},
	}
}

func runCopies(ctx context.Context, g *invocation.Globals, setting annex.CopiesSetting, args []string) error {
	if len(args) > 1 {
		return invocation.Exit(1, "git-annex: Specify a single number.")
	}
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return s.finish(ctx, showCopies(ctx, s, setting))
	}
	n, err := annex.ParseCopies(setting, args[0])
	if err != nil {
		return s.finish(ctx, err)
	}
	t := s.out.Begin(ui.Action{Command: string(setting), File: strconv.Itoa(n), Input: args})
	if _, err := s.repo.SetGlobalCopies(ctx, setting, n); err != nil {
		t.Warn(err.Error())
		t.End(false, nil)
		return s.finish(ctx, nil)
	}
	t.End(true, nil)
	return s.finish(ctx, nil)
}

// showCopies prints the recorded value, or git-annex's lines when unset.
func showCopies(ctx context.Context, s *session, setting annex.CopiesSetting) error {
	n, ok, err := s.repo.GlobalCopies(ctx, setting)
	if err != nil {
		return err
	}
	if ok {
		s.out.Record(ui.Record{Fields: ui.Object{string(setting): n}, Human: strconv.Itoa(n)})
		return nil
	}
	lines := []string{fmt.Sprintf("global %s is not set", setting)}
	if setting == annex.NumCopiesSetting {
		if old, set := s.repo.DeprecatedNumCopies(); set {
			lines = append(lines, fmt.Sprintf("(deprecated git config annex.numcopies is set to %d locally)", old))
		} else {
			lines = append(lines, "(default is 1)")
		}
	}
	for _, l := range lines {
		s.out.Record(ui.Record{Fields: ui.Object{string(setting): nil}, Human: l})
	}
	return nil
}
