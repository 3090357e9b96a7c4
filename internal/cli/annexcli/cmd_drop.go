package annexcli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/ui"
)

// dropOptions are the flags of `git annex drop`.
type dropOptions struct {
	from      string
	auto      bool
	all       bool
	keys      []string
	unused    bool
	branch    string
	batch     batchOptions
	batchKeys bool
}

func newDropCommand(g *invocation.Globals) *cobra.Command {
	var o dropOptions
	c := &cobra.Command{
		Use:   "drop [PATH ...]",
		Short: "remove content of files from repository",
	}
	withMatching(c, func(cmd *cobra.Command, args []string, terms []MatchTerm) error {
		return runDrop(cmd.Context(), g, o, args, terms)
	})
	f := c.Flags()
	f.StringVarP(&o.from, "from", "f", "", "drop content from a remote")
	f.BoolVarP(&o.auto, "auto", "a", false, "automatic mode")
	f.BoolVarP(&o.all, "all", "A", false, "operate on all versions of all files")
	f.StringArrayVar(&o.keys, "key", nil, "operate on specified key")
	f.BoolVarP(&o.unused, "unused", "U", false, "operate on files found by last run of git-annex unused")
	f.StringVar(&o.branch, "branch", "", "operate on files in the specified branch or treeish")
	f.BoolVar(&o.batchKeys, "batch-keys", false, "enable batch mode, with keys input")
	addJSONFlags(c, g, false)
	addJobsFlag(c, g)
	addBatchFlags(c, &o.batch)
	return c
}

// dropper is one drop command's repository, target and output.
type dropRun struct {
	s    *session
	o    dropOptions
	opts annex.DropOptions
	rm   remote.Remote // nil for a local drop
}

func runDrop(ctx context.Context, g *invocation.Globals, o dropOptions, args []string, terms []MatchTerm) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	d := &dropRun{s: s, o: o, opts: annex.DropOptions{Force: g.Force, Auto: o.auto, Unused: o.unused}}
	if g.NumCopies >= 0 {
		d.opts.NumCopies = max(g.NumCopies, 1)
	}
	if g.MinCopies >= 0 {
		d.opts.MinCopies = max(g.MinCopies, 1)
	}
	if o.from != "" {
		u, ferr := s.repo.FindRepo(ctx, o.from)
		if ferr != nil || u != s.repo.UUID() {
			rm, err := s.repo.Remote(ctx, o.from)
			if err != nil {
				return s.finish(ctx, err)
			}
			d.rm = rm
		}
	}
	m, err := s.matcher(ctx, terms)
	if err != nil {
		return s.finish(ctx, err)
	}
	if o.batch.enabled || o.batchKeys {
		return s.finish(ctx, d.batch(ctx, m))
	}
	seek := annex.SeekOptions{All: o.all, Unused: o.unused, Branch: o.branch, Matcher: m}
	for _, ks := range o.keys {
		k, err := key.Parse(ks)
		if err != nil {
			return s.finish(ctx, invocation.Exit(1, "git-annex: bad key %s", ks))
		}
		seek.Keys = append(seek.Keys, k)
	}
	if len(args) > 0 {
		seek.Inputs = s.resolveInputs("drop", args)
		if len(seek.Inputs) == 0 {
			return s.finish(ctx, nil)
		}
		seek.Given = args
	}
	seek.NotFound = func(input string) error {
		s.g.Stdio.Err.Write([]byte("git-annex: " + input + " not found\n"))
		s.out.Fail("drop")
		return nil
	}
	err = s.repo.Seek(ctx, seek, func(it annex.Item) error {
		d.drop(ctx, it)
		return nil
	})
	return s.finish(ctx, err)
}

// batch drops each file (--batch) or key (--batch-keys) read from stdin,
// answering each line with its result or an empty line.
func (d *dropRun) batch(ctx context.Context, m *annex.Matcher) error {
	return d.o.batch.each(d.s.g, func(line string) error {
		var it annex.Item
		var ok bool
		var err error
		if d.o.batchKeys {
			k, perr := key.Parse(line)
			if perr != nil {
				d.o.batch.empty(d.s.g)
				return nil
			}
			it, ok, err = d.s.repo.SeekKey(ctx, k, line, m)
		} else {
			p, perr := d.s.repo.Paths().ToRepo(line)
			if perr != nil {
				d.o.batch.empty(d.s.g)
				return nil
			}
			it, ok, err = d.s.repo.SeekFile(ctx, p, line, m)
		}
		if err != nil {
			return err
		}
		if !ok || !d.drop(ctx, it) {
			d.o.batch.empty(d.s.g)
		}
		return nil
	})
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
	if d.rm == nil {
		res, err = s.repo.DropLocal(ctx, it, d.opts)
	} else {
		res, err = s.repo.DropFrom(ctx, it, d.rm, d.opts)
	}
	if err == nil && res.Skipped {
		return false
	}
	t := s.out.Begin(a)
	var unsafe *annex.UnsafeDropError
	var required *annex.RequiredContentError
	switch {
	case err == nil:
		t.End(true, nil)
	case errors.As(err, &unsafe):
		for i, n := range unsafe.Notes() {
			t.AddNote(ui.Note{Text: n.Text, Long: i > 0, HumanOnly: n.HumanOnly})
		}
		if s.g.Face == invocation.FaceTrove {
			t.Warn(unsafe.Hint("trove annex"))
		}
		wanted := []ui.Object{}
		for _, c := range unsafe.Wanted() {
			wanted = append(wanted, ui.Object{"description": c.Description, "here": c.Here, "uuid": string(c.UUID)})
		}
		t.End(false, ui.Object{"wanted": wanted})
	case errors.As(err, &required):
		t.AddNote(ui.Note{Text: "That file is required content. It cannot be dropped!", Long: true})
		t.AddNote(ui.Note{Text: "(Use --force to override this check, or adjust required content configuration.)", Long: true})
		t.End(false, nil)
	default:
		t.Warn(err.Error())
		t.End(false, nil)
	}
	return true
}
