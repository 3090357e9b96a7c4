package annexcli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

// configUsage is git-annex's usage line for config.
const configUsage = "Usage: git-annex config (--set NAME VALUE | --get NAME | --unset NAME)"

func newConfigCommand(g *invocation.Globals) *cobra.Command {
	var set, get, unset string
	c := &cobra.Command{
		Use:   "config (--set NAME VALUE | --get NAME | --unset NAME)",
		Short: "configuration stored in git-annex branch",
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			switch {
			case f.Changed("set") && len(args) == 1 && !f.Changed("get") && !f.Changed("unset"):
				return runConfigSet(cmd.Context(), g, set, args[0], false)
			case f.Changed("set") && len(args) == 0:
				return invocation.Exit(1, "Missing: VALUE\n\n%s", configUsage)
			case f.Changed("get") && len(args) == 0 && !f.Changed("set") && !f.Changed("unset"):
				return runConfigGet(cmd.Context(), g, get)
			case f.Changed("unset") && len(args) == 0 && !f.Changed("set") && !f.Changed("get"):
				return runConfigSet(cmd.Context(), g, unset, "", true)
			}
			return invocation.Exit(1, "Missing: (--set NAME VALUE | --get NAME | --unset NAME)\n\n%s", configUsage)
		},
	}
	c.Flags().StringVar(&set, "set", "", "set configuration (NAME VALUE)")
	c.Flags().StringVar(&get, "get", "", "get configuration")
	c.Flags().StringVar(&unset, "unset", "", "unset configuration")
	return c
}

// runConfigSet sets (or, with unset, removes) a config.log setting.
func runConfigSet(ctx context.Context, g *invocation.Globals, name, value string, unset bool) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	if unset {
		err = s.repo.UnsetGlobalConfig(ctx, name)
	} else {
		err = s.repo.SetGlobalConfig(ctx, name, value)
	}
	if err != nil {
		return s.finish(ctx, err)
	}
	shown := value
	if unset {
		shown = "unset"
	}
	t := s.out.Begin(ui.Action{Command: name, File: shown, Input: []string{name}})
	t.End(true, nil)
	return s.finish(ctx, nil)
}

// runConfigGet prints a config.log setting; nothing when it is unset.
func runConfigGet(ctx context.Context, g *invocation.Globals, name string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	v, ok, err := s.repo.GlobalConfig(ctx, name)
	if err == nil && ok {
		s.out.Record(ui.Record{Fields: ui.Object{"name": name, "value": v}, Human: v})
	}
	return s.finish(ctx, err)
}
