package annexcli

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/transfer"
	"github.com/troveproject/trove/internal/ui"
)

func newDropUnusedCommand(g *invocation.Globals) *cobra.Command {
	var from string
	c := &cobra.Command{
		Use:   "dropunused NUMBER|RANGE ...",
		Short: "drop unused file content",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := rejectJSON(cmd); err != nil {
				return err
			}
			return runDropUnused(cmd.Context(), g, from, args)
		},
	}
	c.Flags().StringVarP(&from, "from", "f", "", "drop content from a remote")
	addJobsFlag(c, g)
	addRejectedJSONFlags(c)
	return c
}

// unusedItem is one number of the unused lists a command acts on.
type unusedItem struct {
	entry annex.UnusedLogEntry
	list  annex.UnusedList
}

// unusedItems resolves the NUMBER|RANGE|all arguments against the lists of
// the last `git annex unused`, in order. It stops at the first argument or
// number that is not valid, returning the items before it and the error
// (git-annex acts on those, then fails).
func unusedItems(lists annex.UnusedLists, args []string) ([]unusedItem, error) {
	var out []unusedItem
	for _, a := range args {
		ns, err := lists.ParseUnusedSpec(a)
		if err != nil {
			return out, err
		}
		for _, n := range ns {
			e, l, ok := lists.Lookup(n)
			if !ok {
				return out, &annex.UnusedNumberError{Number: n}
			}
			out = append(out, unusedItem{entry: e, list: l})
		}
	}
	return out, nil
}

func runDropUnused(ctx context.Context, g *invocation.Globals, from string, args []string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	lists, err := s.repo.ReadUnused()
	if err != nil {
		return s.finish(ctx, err)
	}
	rm, err := s.dropTarget(ctx, from)
	if err != nil {
		return s.finish(ctx, err)
	}
	opts := dropOptionsOf(g)
	items, specErr := unusedItems(lists, args)
	err = transfer.Parallel(ctx, transferJobs(g, s.repo, false), slices.Values(items), func(ctx context.Context, it unusedItem) {
		t := s.out.Begin(ui.Action{Command: "dropunused", File: strconv.Itoa(it.entry.Number)})
		target := rm
		if it.list != annex.UnusedContent {
			target = nil
		} else if rm != nil {
			t.Note("from " + rm.Name() + "...")
		}
		s.endDrop(t, s.repo.DropUnused(ctx, it.entry, it.list, target, opts), false)
	})
	return s.finish(ctx, errors.Join(err, specErr))
}
