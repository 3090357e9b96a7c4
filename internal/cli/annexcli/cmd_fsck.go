package annexcli

import (
	"context"
	"runtime"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/policy"
	"github.com/troveproject/trove/internal/ui"
)

// fsckOptions are the flags of `git annex fsck`.
type fsckOptions struct {
	keys []string
	all  bool
}

func newFsckCommand(g *invocation.Globals) *cobra.Command {
	var o fsckOptions
	c := &cobra.Command{
		Use:   "fsck [PATH ...]",
		Short: "find and fix problems",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFsck(cmd.Context(), g, o, args)
		},
	}
	f := c.Flags()
	f.StringArrayVar(&o.keys, "key", nil, "operate on specified key")
	f.BoolVarP(&o.all, "all", "A", false, "operate on all versions of all files")
	addJSONFlags(c, g, false)
	addJobsFlag(c, g)
	c.MarkFlagsMutuallyExclusive("key", "all")
	return c
}

func runFsck(ctx context.Context, g *invocation.Globals, o fsckOptions, args []string) error {
	opts := annex.FsckOptions{Fast: g.Fast, All: o.all, Jobs: fsckJobs(g), NumCopies: g.NumCopies}
	for _, a := range o.keys {
		k, err := key.Parse(a)
		if err != nil {
			return invocation.Exit(1, "git-annex: option --key: invalid key %q (`git annex lookupkey FILE` prints a file's key)", a)
		}
		opts.Keys = append(opts.Keys, k)
	}
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	if rs, err := s.repo.Repos(ctx); err == nil && rs.Get(s.repo.UUID()).Trust == policy.Dead {
		s.out.Warn("Warning: Fscking a repository that is currently marked as dead.")
	}
	if len(args) > 0 {
		opts.Inputs = s.resolveInputs("fsck", args)
		if !hadInputs(args, opts.Inputs) {
			return s.finish(ctx, nil)
		}
	}
	begin := func(it annex.FsckItem) annex.FsckReporter {
		return fsckReporter{s.out.Begin(fsckAction(s, it))}
	}
	return s.finish(ctx, s.repo.Fsck(ctx, opts, begin))
}

// fsckAction is the ui.Action of one fsck item.
func fsckAction(s *session, it annex.FsckItem) ui.Action {
	a := ui.Action{Command: "fsck"}
	if !it.Key.IsZero() {
		a.Key = it.Key.String()
	}
	if it.File != "" {
		a.File = s.repo.Paths().ToUser(it.File)
		a.Input = []string{s.repo.Paths().ToUser(it.Input)}
	}
	return a
}

// repoList is the JSON list git-annex gives of repositories.
func repoList(rs []annex.KnownRepo) []ui.Object {
	out := []ui.Object{}
	for _, k := range rs {
		out = append(out, ui.Object{"description": k.Label(), "here": k.Here, "uuid": string(k.UUID)})
	}
	return out
}

// fsckReporter renders fsck's findings on a task.
type fsckReporter struct{ t *ui.Task }

func (r fsckReporter) Note(text string) { r.t.Note(text) }
func (r fsckReporter) Warn(text string) { r.t.Warn(text) }
func (r fsckReporter) LongNote(text string) {
	r.t.AddNote(ui.Note{Text: text, Long: true})
}

func (r fsckReporter) Done(res annex.FsckResult) {
	if res.Err != nil {
		r.t.Warn(res.Err.Error())
	}
	var fields ui.Object
	if res.CopiesChecked {
		fields = ui.Object{"untrusted": repoList(res.Untrusted), "dead": repoList(res.Dead)}
	}
	r.t.End(res.OK, fields)
}

// fsckJobs turns -J into a number of workers: "cpus" or N, default 1.
func fsckJobs(g *invocation.Globals) int {
	if strings.EqualFold(g.Jobs, "cpus") {
		return runtime.NumCPU()
	}
	n, err := strconv.Atoi(g.Jobs)
	if err != nil || n < 1 {
		return 1
	}
	return n
}
