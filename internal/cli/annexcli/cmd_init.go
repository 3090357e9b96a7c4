package annexcli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

func newInitCommand(g *invocation.Globals) *cobra.Command {
	var version int
	var noAutoEnable bool
	c := &cobra.Command{
		Use:   "init [DESCRIPTION]",
		Short: "initialize git-annex",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInit(cmd.Context(), g, strings.Join(args, " "), version, !noAutoEnable)
		},
	}
	c.Flags().IntVar(&version, "version", 0, "override default annex.version")
	c.Flags().Bool("autoenable", false, "enable special remotes configured with autoenable=true")
	c.Flags().BoolVar(&noAutoEnable, "no-autoenable", false, "do not enable special remotes configured with autoenable=true")
	return c
}

func runInit(ctx context.Context, g *invocation.Globals, desc string, version int, autoEnable bool) error {
	out := newOutput(g)
	t := out.Begin(ui.Action{Command: "init", File: desc})
	repo, err := annex.Init(ctx, g.Dir, annex.InitOptions{Description: desc, Version: version, ConfigParams: g.ConfigParams, Dir: g.Dir})
	if err != nil {
		t.Warn(err.Error())
		t.End(false, nil)
		_ = out.Close()
		return invocation.Failed()
	}
	s := &session{g: g, repo: repo, out: out}
	if autoEnable {
		s.autoEnableRemotes(ctx, t)
	}
	t.End(true, nil)
	return s.finish(ctx, nil)
}
