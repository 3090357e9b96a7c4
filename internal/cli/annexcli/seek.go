package annexcli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/ui"
)

// seekFlags are the options with which the transfer commands (get, copy,
// move, drop, ...) choose what they act on.
type seekFlags struct {
	all       bool
	keys      []string
	unused    bool
	branch    string
	batch     batchOptions
	batchKeys bool
}

// addSeekFlags adds --all, --key, --unused, --branch, --batch,
// --batch-keys and -z to c.
func addSeekFlags(c *cobra.Command, f *seekFlags) {
	addKeyFlags(c, f)
	c.Flags().BoolVar(&f.batchKeys, "batch-keys", false, "enable batch mode, with keys input")
	addBatchFlags(c, &f.batch)
}

// addKeyFlags adds the options that act on keys or another branch in
// place of the work tree's files: --all, --key, --unused and --branch.
func addKeyFlags(c *cobra.Command, f *seekFlags) {
	fl := c.Flags()
	fl.BoolVarP(&f.all, "all", "A", false, "operate on all versions of all files")
	fl.StringArrayVar(&f.keys, "key", nil, "operate on specified key")
	fl.BoolVarP(&f.unused, "unused", "U", false, "operate on files found by last run of git-annex unused")
	fl.StringVar(&f.branch, "branch", "", "operate on files in the specified branch or treeish")
}

// keyed reports whether the flags ask for keys or another branch rather
// than the work tree's files.
func (f seekFlags) keyed() bool { return f.all || len(f.keys) > 0 || f.unused || f.branch != "" }

// batching reports whether inputs come from stdin.
func (f seekFlags) batching() bool { return f.batch.enabled || f.batchKeys }

// seekOptions turns the flags, the command-line paths and the matching
// terms into annex.SeekOptions. Paths outside the repository are reported
// as failures of command; ok is false when no input is left to act on.
func (s *session) seekOptions(ctx context.Context, command string, f seekFlags, args []string, terms []MatchTerm) (so annex.SeekOptions, ok bool, err error) {
	m, err := s.matcher(ctx, terms)
	if err != nil {
		return so, false, err
	}
	so = annex.SeekOptions{All: f.all, Unused: f.unused, Branch: f.branch, Matcher: m}
	for _, k := range f.keys {
		pk, perr := key.Parse(k)
		if perr != nil {
			return so, false, fmt.Errorf("bad key %q given to --key: %w", k, perr)
		}
		so.Keys = append(so.Keys, pk)
	}
	if len(args) > 0 {
		// Validate before resolving, so that conflicting modes fail as
		// git-annex does whatever the paths are.
		if err := (annex.SeekOptions{Inputs: args, All: so.All, Keys: so.Keys, Unused: so.Unused, Branch: so.Branch}).Validate(); err != nil {
			return so, false, err
		}
	}
	if err := so.Validate(); err != nil {
		return so, false, err
	}
	inputs := s.resolveInputs(command, args)
	if !hadInputs(args, inputs) {
		return so, false, nil
	}
	so.Inputs = inputs
	for _, a := range args {
		if _, err := s.repo.Paths().ToRepo(a); err == nil {
			so.Given = append(so.Given, a)
		}
	}
	so.NotFound = func(input string) error {
		fmt.Fprintf(s.g.Stdio.Err, "error: pathspec '%s' did not match any file(s) known to git\nDid you forget to 'git add'?\n", input)
		s.out.Fail(command)
		return nil
	}
	return so, true, nil
}

// eachBatchItem reads --batch (paths) or --batch-keys (keys) lines and
// calls act for the item of each line; act reports whether it printed a
// result. git-annex answers every line with exactly one output line, so a
// line with nothing to report gets an empty one. A line that is not a key
// in --batch-keys mode ends the command as in git-annex.
func (s *session) eachBatchItem(ctx context.Context, f seekFlags, m *annex.Matcher, act func(annex.Item) (bool, error)) error {
	return f.batch.each(s.g, func(line string) error {
		var (
			it  annex.Item
			ok  bool
			err error
		)
		if f.batchKeys {
			k, perr := key.Parse(line)
			if perr != nil {
				return invocation.Exit(1, "git-annex: Batch input parse failure: not a valid key")
			}
			it, ok, err = s.repo.SeekKey(ctx, k, line, m)
		} else if p, perr := s.repo.Paths().ToRepo(line); perr == nil {
			it, ok, err = s.repo.SeekFile(ctx, p, line, m)
		}
		if err != nil {
			return err
		}
		shown := false
		if ok {
			if shown, err = act(it); err != nil {
				return err
			}
		}
		if !shown {
			f.batch.empty(s.g)
		}
		return nil
	})
}

// itemAction is the ui.Action of command acting on it: the file as the
// user sees it ("BRANCH:FILE" for --branch items), or the key alone.
func (s *session) itemAction(command string, it annex.Item) ui.Action {
	a := ui.Action{Command: command, Input: it.Input, Key: it.Key.String()}
	switch {
	case it.Branch != "":
		a.File = it.Shown()
	case it.File != "":
		a.File = s.repo.Paths().ToUser(it.File)
	}
	return a
}

// lazyTask is a task begun only when an action turns out to have
// something to report (git-annex prints nothing for content already
// where it should be). It is a progress.Meter for the lower layers; bytes
// counted before the task begins are dropped. Not safe for concurrent
// begin calls; one goroutine works on one item.
type lazyTask struct {
	s   *session
	ctx context.Context // carries the item's ui.Turn, if any
	a   ui.Action
	t   *ui.Task
}

func (s *session) lazyTask(ctx context.Context, a ui.Action) *lazyTask {
	return &lazyTask{s: s, ctx: ctx, a: a}
}

// begin starts the task if needed and returns it.
func (l *lazyTask) begin() *ui.Task {
	if l.t == nil {
		l.t = l.s.out.BeginIn(l.ctx, l.a)
	}
	return l.t
}

// SetTotal implements progress.Meter.
func (l *lazyTask) SetTotal(n int64) {
	if l.t != nil {
		l.t.SetTotal(n)
	}
}

// Add implements progress.Meter.
func (l *lazyTask) Add(n int64) {
	if l.t != nil {
		l.t.Add(n)
	}
}
