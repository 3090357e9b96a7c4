package annexcli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
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
	for _, h := range []string{"pull", "push", "resolvemerge"} {
		_ = fl.MarkHidden(h)
	}
	return c
}

// runSync runs a sync and renders its steps as git-annex does.
func runSync(ctx context.Context, g *invocation.Globals, command string, opts annex.SyncOptions) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	opts.Jobs = addJobs(g, s.repo)
	rep := newSyncHuman(g)
	if len(opts.ContentOf) > 0 {
		opts.ContentOf = s.resolveInputs(command, opts.ContentOf)
	}
	res, err := s.repo.Sync(ctx, opts, rep)
	if err != nil {
		rep.closeLine()
		return s.finish(ctx, err)
	}
	if err := s.finish(ctx, nil); err != nil {
		return err
	}
	if res.Failed > 0 {
		fmt.Fprintf(g.Stdio.Err, "%s: %d failed\n", command, res.Failed)
		return invocation.Failed()
	}
	return nil
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
