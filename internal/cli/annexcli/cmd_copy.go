package annexcli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/transfer"
	"github.com/troveproject/trove/internal/ui"
)

// copyOptions are the flags of `git annex copy`.
type copyOptions struct {
	seek     seekFlags
	from, to string
	auto     bool
}

func newCopyCommand(g *invocation.Globals) *cobra.Command {
	var o copyOptions
	c := newItemsCommand(g, "copy [PATH ...]", "copy content of files to/from another repository", &o.seek, true, func(ctx context.Context, g *invocation.Globals, args []string, terms []MatchTerm) error {
		return runCopy(ctx, g, o, args, terms)
	})
	f := c.Flags()
	f.StringVarP(&o.from, "from", "f", "", "source remote")
	f.StringVarP(&o.to, "to", "t", "", "destination remote")
	f.BoolVarP(&o.auto, "auto", "a", false, "automatic mode")
	return c
}

func runCopy(ctx context.Context, g *invocation.Globals, o copyOptions, args []string, terms []MatchTerm) error {
	s, rm, err := openDirected(ctx, g, o.from, o.to)
	if s == nil || err != nil {
		return err
	}
	err = s.runItems(ctx, "copy", rm, o.seek, args, terms, func(ctx context.Context, it annex.Item) bool {
		if o.from != "" {
			return s.getFrom(ctx, "copy", it, rm, o.auto)
		}
		return s.copyTo(ctx, it, rm, o.auto)
	})
	return s.endTransfers(ctx, err)
}

// copyTo sends it to rm and reports it; false means nothing to report.
func (s *session) copyTo(ctx context.Context, it annex.Item, rm remote.Remote, auto bool) bool {
	lt := s.lazyTask(ctx, s.itemAction("copy", it))
	opts := annex.CopyOptions{
		Fast:      s.g.Fast,
		Auto:      auto,
		NumCopies: max(s.g.NumCopies, 0),
		Checking:  func() { lt.begin() },
		Sending:   func() { lt.begin().Note("to " + rm.Name() + "...") },
	}
	res, err := s.repo.CopyToWith(ctx, it, rm, opts, lt)
	if err == nil && res.Skipped {
		return false
	}
	t := lt.begin()
	if err != nil {
		s.sendFailure(t, err)
	}
	t.End(err == nil, nil)
	return true
}

// sendFailure reports why content could not be sent. A local peer that
// refused it for lack of space reports that itself, as git-annex's
// remote side does, and the sender then says only that sending failed.
func (s *session) sendFailure(t *ui.Task, err error) {
	var ns *transfer.NoSpaceError
	if errors.As(err, &ns) {
		t.WarnAside(ns.Error())
		t.Warn("failed to send content to remote")
		return
	}
	t.Warn(err.Error())
}
