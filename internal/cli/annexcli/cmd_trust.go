package annexcli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/policy"
	"github.com/troveproject/trove/internal/ui"
)

// trustLevels maps the trust commands to the level they set.
var trustLevels = map[string]policy.TrustLevel{
	"trust":     policy.Trusted,
	"untrust":   policy.UnTrusted,
	"semitrust": policy.SemiTrusted,
	"dead":      policy.Dead,
}

// newTrustCommand builds `trust`, `untrust` or `semitrust` (name).
func newTrustCommand(g *invocation.Globals, name, short string) *cobra.Command {
	return &cobra.Command{
		Use:   name + " REPOSITORY ...",
		Short: short,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTrust(cmd.Context(), g, name, args)
		},
	}
}

// runTrust sets the trust level of each named repository, in order. A name
// that matches no repository ends the command, as in git-annex.
func runTrust(ctx context.Context, g *invocation.Globals, command string, names []string) error {
	if len(names) == 0 {
		return invocation.Exit(1, "git-annex: no repository name specified")
	}
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	level := trustLevels[command]
	for _, name := range names {
		u, err := s.repo.FindRepo(ctx, name)
		if err != nil {
			return s.finish(ctx, err)
		}
		t := s.out.Begin(ui.Action{Command: command, File: name, Input: []string{name}})
		got, overridden, err := s.repo.SetTrust(ctx, u, name, level, g.Force)
		switch {
		case err != nil:
			t.Warn(err.Error())
		case overridden:
			t.Warn(fmt.Sprintf("This remote's trust level is overridden to %s.", got))
		}
		t.End(err == nil, nil)
	}
	return s.finish(ctx, nil)
}
