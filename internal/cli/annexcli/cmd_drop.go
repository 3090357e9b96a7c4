package annexcli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/ui"
)

// dropOptions are the flags of `git annex drop`.
type dropOptions struct {
	seek seekFlags
	from string
	auto bool
}

func newDropCommand(g *invocation.Globals) *cobra.Command {
	var o dropOptions
	c := newItemsCommand(g, "drop [PATH ...]", "remove content of files from repository", &o.seek, false, func(ctx context.Context, g *invocation.Globals, args []string, terms []MatchTerm) error {
		return runDrop(ctx, g, o, args, terms)
	})
	f := c.Flags()
	f.StringVarP(&o.from, "from", "f", "", "drop content from a remote")
	f.BoolVarP(&o.auto, "auto", "a", false, "automatic mode")
	return c
}

// dropRun is one drop command's session, settings and target.
type dropRun struct {
	s    *session
	opts annex.DropOptions
	rm   remote.Remote // nil for a local drop
}

// dropOptionsOf are the annex.DropOptions the global flags ask for.
func dropOptionsOf(g *invocation.Globals) annex.DropOptions {
	opts := annex.DropOptions{Force: g.Force}
	if g.NumCopies >= 0 {
		opts.NumCopies = max(g.NumCopies, 1)
	}
	if g.MinCopies >= 0 {
		opts.MinCopies = max(g.MinCopies, 1)
	}
	return opts
}

// dropTarget returns the remote --from names, or nil when it is empty or
// names this repository.
func (s *session) dropTarget(ctx context.Context, from string) (remote.Remote, error) {
	if from == "" {
		return nil, nil
	}
	if u, err := s.repo.FindRepo(ctx, from); err == nil && u == s.repo.UUID() {
		return nil, nil
	}
	return s.repo.Remote(ctx, from)
}

func runDrop(ctx context.Context, g *invocation.Globals, o dropOptions, args []string, terms []MatchTerm) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	d := &dropRun{s: s, opts: dropOptionsOf(g)}
	d.opts.Auto, d.opts.Unused = o.auto, o.seek.unused
	if d.rm, err = s.dropTarget(ctx, o.from); err != nil {
		return s.finish(ctx, err)
	}
	return s.finish(ctx, s.runItems(ctx, "drop", d.rm, o.seek, args, terms, d.drop))
}

// drop drops one item and reports it; it returns false when there was
// nothing to report (content not here, or --auto left it alone).
func (d *dropRun) drop(ctx context.Context, it annex.Item) bool {
	s := d.s
	if d.rm == nil {
		has, err := s.repo.HasContent(it.Key)
		if err == nil && !has {
			return false
		}
	}
	command := "drop"
	if d.rm != nil {
		command = "drop " + d.rm.Name()
	}
	a := ui.Action{Command: command, Key: it.Key.String(), Input: it.Input}
	if it.File != "" {
		a.File = s.repo.Paths().ToUser(it.Shown())
	}
	var res annex.DropResult
	var err error
	var notes []string
	opts := d.opts
	opts.Note = func(n string) { notes = append(notes, n) }
	if d.rm == nil {
		res, err = s.repo.DropLocal(ctx, it, opts)
	} else {
		res, err = s.repo.DropFrom(ctx, it, d.rm, opts)
	}
	if err == nil && res.Skipped {
		if res.Kept == nil || s.g.Face != invocation.FaceTrove {
			return false // git-annex says nothing of content it lacks
		}
		err = res.Kept
	}
	t := s.out.BeginIn(ctx, a)
	for _, n := range notes {
		t.Note(n)
	}
	s.endDrop(t, err, false)
	return true
}

// endDrop ends t with the outcome of a drop (of drop, dropunused or
// move), a refusal rendered as git-annex renders it: its first note on
// the action's line and the "wanted" repositories in JSON, or for move
// every note on a line of its own and no "wanted".
func (s *session) endDrop(t *ui.Task, err error, forMove bool) {
	var unsafe *annex.UnsafeDropError
	var required *annex.RequiredContentError
	switch {
	case err == nil:
		t.End(true, nil)
	case errors.As(err, &unsafe):
		for i, n := range unsafe.Notes() {
			t.AddNote(ui.Note{Text: n.Text, Long: i > 0 || forMove, HumanOnly: n.HumanOnly})
		}
		if s.g.Face == invocation.FaceTrove {
			t.Warn(unsafe.Hint("trove annex"))
		}
		var extra ui.Object
		if !forMove {
			wanted := []ui.Object{}
			for _, c := range unsafe.Wanted() {
				wanted = append(wanted, ui.Object{"description": c.Description, "here": c.Here, "uuid": string(c.UUID)})
			}
			extra = ui.Object{"wanted": wanted}
		}
		t.End(false, extra)
	case errors.As(err, &required):
		t.AddNote(ui.Note{Text: "That file is required content. It cannot be dropped!", Long: true})
		t.AddNote(ui.Note{Text: "(Use --force to override this check, or adjust required content configuration.)", Long: true})
		t.End(false, nil)
	default:
		t.Warn(err.Error())
		t.End(false, nil)
	}
}
