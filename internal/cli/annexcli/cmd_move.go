package annexcli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/transfer"
)

// moveOptions are the flags of `git annex move`.
type moveOptions struct {
	seek     seekFlags
	from, to string
}

func newMoveCommand(g *invocation.Globals) *cobra.Command {
	var o moveOptions
	c := newItemsCommand(g, "move [PATH ...]", "move content of files to/from another repository", &o.seek, true, func(ctx context.Context, g *invocation.Globals, args []string, terms []MatchTerm) error {
		return runMove(ctx, g, o, args, terms)
	})
	f := c.Flags()
	f.StringVarP(&o.from, "from", "f", "", "source remote")
	f.StringVarP(&o.to, "to", "t", "", "destination remote")
	return c
}

func runMove(ctx context.Context, g *invocation.Globals, o moveOptions, args []string, terms []MatchTerm) error {
	s, rm, err := openDirected(ctx, g, o.from, o.to)
	if s == nil || err != nil {
		return err
	}
	err = s.runItems(ctx, "move", rm, o.seek, args, terms, func(ctx context.Context, it annex.Item) bool {
		return s.move(ctx, it, rm, o.to != "")
	})
	return s.endTransfers(ctx, err)
}

// move moves it to or from rm and reports it; false means nothing to
// report.
func (s *session) move(ctx context.Context, it annex.Item, rm remote.Remote, to bool) bool {
	lt := s.lazyTask(ctx, s.itemAction("move", it))
	note := "from " + rm.Name() + "..."
	if to {
		note = "to " + rm.Name() + "..."
	}
	opts := annex.MoveOptions{
		Force:        s.g.Force,
		NumCopies:    max(s.g.NumCopies, 0),
		MinCopies:    max(s.g.MinCopies, 0),
		Fast:         s.g.Fast,
		Acting:       func() { lt.begin() },
		Transferring: func() { lt.begin().Note(note) },
	}
	var (
		res annex.MoveResult
		err error
	)
	if to {
		res, err = s.repo.MoveTo(ctx, it, rm, opts, lt)
	} else {
		res, err = s.repo.MoveFrom(ctx, it, rm, opts, lt)
	}
	if err == nil && res.Skipped {
		return false
	}
	t := lt.begin()
	var (
		na *annex.NotAvailableError
		ns *transfer.NoSpaceError
	)
	switch {
	case errors.As(err, &na):
		s.getFailure(t, err)
	case to && errors.As(err, &ns):
		s.sendFailure(t, err)
		t.End(false, nil)
	default:
		s.endDrop(t, err, true)
	}
	return true
}
