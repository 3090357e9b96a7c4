package annexcli

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/clock"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/ui"
)

// syncCommands are sync and the commands built on it.
func syncCommands(g *invocation.Globals) []*cobra.Command {
	return []*cobra.Command{newSyncCommand(g), newPushCommand(g), newPullCommand(g), newMergeCommand(g)}
}

// syncFlags are the options of `git annex sync` as given.
type syncFlags struct {
	opts                       annex.SyncOptions
	commit, noCommit           bool
	pull, noPull, push, noPush bool
	content, noContent         bool
	onlyAnnex, notOnlyAnnex    bool
	resolve, noResolve         bool
	noAllowUnrelated           bool
}

// toggle turns a pair of --x / --no-x flags into a Toggle (the later
// flag is not known, so --no-x wins when both are given).
func toggle(on, off bool) annex.Toggle {
	switch {
	case off:
		return annex.ToggleOff
	case on:
		return annex.ToggleOn
	}
	return annex.ToggleDefault
}

// options returns the annex options the flags select.
func (f *syncFlags) options() annex.SyncOptions {
	o := f.opts
	o.Commit = toggle(f.commit, f.noCommit)
	o.Pull = toggle(f.pull, f.noPull)
	o.Push = toggle(f.push, f.noPush)
	o.Content = toggle(f.content, f.noContent)
	o.OnlyAnnex = toggle(f.onlyAnnex, f.notOnlyAnnex)
	o.ResolveMerge = toggle(f.resolve, f.noResolve)
	if f.noAllowUnrelated {
		o.AllowUnrelatedHistories = false
	}
	return o
}

// addSyncFlags adds the options sync, push and pull share.
func addSyncFlags(c *cobra.Command, g *invocation.Globals, f *syncFlags) {
	fl := c.Flags()
	fl.BoolVarP(&f.onlyAnnex, "only-annex", "a", false, "only sync git-annex branch and annexed file contents")
	fl.BoolVar(&f.notOnlyAnnex, "not-only-annex", false, "sync git branches as well as annex")
	fl.BoolVar(&f.content, "content", false, "transfer annexed file contents")
	fl.BoolVar(&f.noContent, "no-content", false, "do not transfer annexed file contents")
	fl.StringArrayVarP(&f.opts.ContentOf, "content-of", "C", nil, "transfer contents of annexed files in a given location")
	fl.BoolVarP(&f.opts.All, "all", "A", false, "operate on all versions of all files")
	addJobsFlag(c, g)
	fl.StringVarP(&g.Backend, "backend", "b", "", "specify key-value backend to use")
}

func newSyncCommand(g *invocation.Globals) *cobra.Command {
	var f syncFlags
	c := &cobra.Command{
		Use:   "sync [REMOTE ...]",
		Short: "synchronize local repository with remotes",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := rejectJSON(cmd); err != nil {
				return err
			}
			f.opts.Remotes = args
			return runSync(cmd.Context(), g, "sync", f.options())
		},
	}
	fl := c.Flags()
	fl.BoolVar(&f.commit, "commit", false, "commit changes to git")
	fl.BoolVar(&f.noCommit, "no-commit", false, "avoid git commit")
	fl.StringVarP(&f.opts.Message, "message", "m", "", "commit message")
	fl.BoolVar(&f.pull, "pull", false, "pull from remotes")
	fl.BoolVar(&f.noPull, "no-pull", false, "avoid git pulls from remotes")
	fl.BoolVar(&f.push, "push", false, "push to remotes")
	fl.BoolVar(&f.noPush, "no-push", false, "avoid git pushes to remotes")
	fl.BoolVar(&f.opts.Cleanup, "cleanup", false, "remove synced/ branches from previous sync")
	fl.BoolVar(&f.resolve, "resolvemerge", false, "automatically resolve merge conflicts (default)")
	fl.BoolVar(&f.noResolve, "no-resolvemerge", false, "do not automatically resolve merge conflicts")
	fl.BoolVar(&f.opts.AllowUnrelatedHistories, "allow-unrelated-histories", false, "allow merging unrelated histories")
	fl.BoolVar(&f.noAllowUnrelated, "no-allow-unrelated-histories", false, "do not allow merging unrelated histories")
	addSyncFlags(c, g, &f)
	addRejectedJSONFlags(c)
	for _, h := range []string{"pull", "push", "resolvemerge"} {
		_ = fl.MarkHidden(h)
	}
	return c
}

// runSync runs a sync and renders its steps as git-annex does; the
// content transfers are rendered as get, copy and drop render them.
// git-annex counts failed steps, gets and copies (not drops) in one
// "sync: N failed" line and exit status.
func runSync(ctx context.Context, g *invocation.Globals, command string, opts annex.SyncOptions) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	clk := clock.System()
	sum := &syncSummary{Renderer: newRenderer(g, clk), command: command}
	s.out = ui.NewOutput(sum, clk)
	opts.Jobs = addJobs(g, s.repo)
	opts.Transfers = &syncTransfers{s: s}
	if g.NumCopies > 0 {
		opts.NumCopies = g.NumCopies
	}
	if g.MinCopies > 0 {
		opts.MinCopies = g.MinCopies
	}
	rep := newSyncHuman(g)
	if len(opts.ContentOf) > 0 {
		opts.ContentOf = s.resolveInputs(command, opts.ContentOf)
	}
	res, err := s.repo.Sync(ctx, opts, rep)
	if err != nil {
		rep.closeLine()
	}
	s.showWarnings()
	sum.steps = res.Failed
	ferr := s.finish(ctx, err)
	var ec invocation.ExitCoder
	switch {
	case err != nil:
		return ferr
	case sum.counted > 0 && ferr == nil:
		return invocation.Failed()
	case sum.counted == 0 && errors.As(ferr, &ec) && ec.Reported() && ec.ExitCode() == 1:
		// Only drops failed, which git-annex's sync does not count.
		return nil
	}
	return ferr
}

// syncSummary renders with its Renderer, but ends as git-annex's sync
// does: one "sync: N failed" line counting the failed steps, gets and
// copies; failed drops of unwanted content are not counted.
type syncSummary struct {
	ui.Renderer
	command string
	steps   int // failed sync steps, set before Close
	counted int // failures reported by Close
}

// Close implements ui.Renderer.
func (s *syncSummary) Close(failed []ui.Failure) error {
	s.counted = s.steps
	for _, f := range failed {
		if f.Command != "drop" {
			s.counted += f.Count
		}
	}
	if s.counted == 0 {
		return s.Renderer.Close(nil)
	}
	return s.Renderer.Close([]ui.Failure{{Command: s.command, Count: s.counted}})
}

// syncHuman renders sync steps as git-annex's human output: "pull origin "
// then a new line before each git command (whose output is passed through),
// "ok" or "failed" on a line of its own.
type syncHuman struct {
	stdout, stderr io.Writer
	quiet          bool
	open           bool // a step line is started and not ended
}

func newSyncHuman(g *invocation.Globals) *syncHuman {
	h := &syncHuman{stdout: g.Stdio.Out, stderr: g.Stdio.Err, quiet: g.Quiet}
	if g.Face == invocation.FaceTrove {
		// trove keeps standard output for results: git's chatter goes
		// to standard error.
		h.stdout = g.Stdio.Err
	}
	return h
}

func (h *syncHuman) say(s string) {
	if !h.quiet {
		_, _ = io.WriteString(h.stdout, s)
	}
}

// closeLine ends a started step line before an error is printed.
func (h *syncHuman) closeLine() {
	if h.open {
		h.say("\n")
		h.open = false
	}
}

// Start implements annex.SyncReporter.
func (h *syncHuman) Start(command, subject string) {
	if subject != "" {
		command += " " + subject
	}
	h.say(command + " ")
	h.open = true
}

// GitOutput implements annex.SyncReporter.
func (h *syncHuman) GitOutput() (io.Writer, io.Writer) {
	h.say("\n")
	h.open = false
	if h.quiet {
		return io.Discard, h.stderr
	}
	return h.stdout, h.stderr
}

// Note implements annex.SyncReporter.
func (h *syncHuman) Note(text string) {
	h.say("\n  " + strings.ReplaceAll(text, "\n", "\n  ") + "\n")
	h.open = false
}

// Warn implements annex.SyncReporter.
func (h *syncHuman) Warn(msg string) {
	h.say("\n")
	h.open = false
	_, _ = io.WriteString(h.stderr, "  "+strings.ReplaceAll(msg, "\n", "\n  ")+"\n")
}

// End implements annex.SyncReporter.
func (h *syncHuman) End(ok bool) {
	if ok {
		h.say("ok\n")
	} else {
		h.say("failed\n")
	}
	h.open = false
}

// SideAction implements annex.SyncReporter.
// A step line that is open continues with it, as in
// "merge git-annex (merging origin/git-annex into git-annex...)".
func (h *syncHuman) SideAction(msg string) {
	h.say("(" + msg + "...)\n")
	h.open = false
}

var _ annex.SyncReporter = (*syncHuman)(nil)

// syncTransfers carries out sync's content actions with the renderings
// of get, copy and drop: "get f (from origin...) ok",
// "copy f (to origin...) ok", "drop origin f ok", "drop f ok".
type syncTransfers struct{ s *session }

// Get implements annex.SyncTransfers. With one candidate it gets from
// that remote; with more, Get picks the cheapest that works.
func (x *syncTransfers) Get(ctx context.Context, it annex.Item, from []remote.Remote) bool {
	s := x.s
	lt := s.lazyTask(ctx, s.itemAction("get", it))
	opts := annex.GetOptions{Trying: func(rm remote.Remote) { lt.begin().Note("from " + rm.Name() + "...") }}
	if len(from) == 1 {
		opts.From = from[0]
	}
	res, err := s.repo.Get(ctx, it, opts, lt)
	if err == nil && res.Skipped {
		return false
	}
	t := lt.begin()
	if err != nil {
		s.getFailure(t, err)
		return false
	}
	t.End(true, nil)
	return true
}

// Send implements annex.SyncTransfers.
func (x *syncTransfers) Send(ctx context.Context, it annex.Item, rm remote.Remote) bool {
	s := x.s
	lt := s.lazyTask(ctx, s.itemAction("copy", it))
	opts := annex.CopyOptions{
		Checking: func() { lt.begin() },
		Sending:  func() { lt.begin().Note("to " + rm.Name() + "...") },
	}
	res, err := s.repo.CopyToWith(ctx, it, rm, opts, lt)
	if err == nil && res.Skipped {
		return false
	}
	t := lt.begin()
	if err != nil {
		t.Warn(err.Error())
	}
	t.End(err == nil, nil)
	return err == nil
}

// Drop implements annex.SyncTransfers.
func (x *syncTransfers) Drop(ctx context.Context, it annex.Item, rm remote.Remote, opts annex.DropOptions) bool {
	opts.Force = x.s.g.Force
	d := &dropRun{s: x.s, opts: opts, rm: rm}
	return d.drop(ctx, it)
}

var _ annex.SyncTransfers = (*syncTransfers)(nil)
