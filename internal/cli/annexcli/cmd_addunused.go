package annexcli

import (
	"context"
	"errors"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

func newAddUnusedCommand(g *invocation.Globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "addunused NUMBER|RANGE ...",
		Short: "add back unused files",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := rejectJSON(cmd); err != nil {
				return err
			}
			return runAddUnused(cmd.Context(), g, args)
		},
	}
	addRejectedJSONFlags(c)
	return c
}

func runAddUnused(ctx context.Context, g *invocation.Globals, args []string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	lists, err := s.repo.ReadUnused()
	if err != nil {
		return s.finish(ctx, err)
	}
	adder, err := s.repo.NewKeyAdder(ctx, true)
	if err != nil {
		return s.finish(ctx, err)
	}
	items, specErr := unusedItems(lists, args)
	for _, it := range items {
		t := s.out.Begin(ui.Action{Command: "addunused", File: strconv.Itoa(it.entry.Number)})
		// git-annex names the file in the current directory.
		p, err := s.repo.Paths().ToRepo("unused." + it.entry.Key.File())
		if err == nil {
			err = s.repo.AddUnused(ctx, adder, it.entry, it.list, p)
		}
		if err != nil {
			t.Warn(err.Error())
		}
		t.End(err == nil, nil)
	}
	_, err = adder.Close(ctx)
	return s.finish(ctx, errors.Join(err, specErr))
}
