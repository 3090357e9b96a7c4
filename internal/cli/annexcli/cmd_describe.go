package annexcli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

func newDescribeCommand(g *invocation.Globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "describe REPOSITORY DESCRIPTION",
		Short: "change description of a repository",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDescribe(cmd.Context(), g, args[0], strings.Join(args[1:], " "))
		},
	}
	addJSONFlags(c, g, false)
	return c
}

func runDescribe(ctx context.Context, g *invocation.Globals, name, desc string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	t := s.out.Begin(ui.Action{Command: "describe", File: name, Input: []string{name, desc}})
	u, err := s.repo.FindRepo(ctx, name)
	if err == nil {
		err = s.repo.Describe(ctx, u, desc)
	}
	if err != nil {
		t.Warn(err.Error())
	}
	t.End(err == nil, nil)
	return s.finish(ctx, nil)
}
