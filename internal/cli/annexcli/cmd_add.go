package annexcli

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

// addOptions are the flags of `git annex add`.
type addOptions struct {
	annex.AddOptions
	batch batchOptions
}

func newAddCommand(g *invocation.Globals) *cobra.Command {
	var o addOptions
	c := &cobra.Command{
		Use:   "add [PATH ...]",
		Short: "add files to annex",
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Backend = g.Backend
			return runAdd(cmd.Context(), g, o, args)
		},
	}
	f := c.Flags()
	f.BoolVar(&o.ForceLarge, "force-large", false, "add all files to annex, ignoring other configuration")
	f.BoolVar(&o.ForceSmall, "force-small", false, "add all files to git, ignoring other configuration")
	f.BoolVarP(&o.Update, "update", "u", false, "only update tracked files")
	f.BoolVar(&o.NoCheckGitignore, "no-check-gitignore", false, "do not check .gitignore when adding files")
	f.Bool("check-gitignore", true, "check .gitignore when adding files (default)")
	f.BoolVar(&o.DryRun, "dry-run", false, "don't make changes, but show what would be done")
	f.StringVarP(&g.Backend, "backend", "b", "", "specify key-value backend to use")
	addJSONFlags(c, g, true)
	addJobsFlag(c, g)
	addBatchFlags(c, &o.batch)
	c.MarkFlagsMutuallyExclusive("force-large", "force-small")
	return c
}

func runAdd(ctx context.Context, g *invocation.Globals, o addOptions, args []string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	o.Jobs = addJobs(g, s.repo)
	if o.Jobs == 1 && implicitJobs(g, s.repo) {
		// Overlap the files' work, reporting as a sequential add.
		o.Jobs, o.Ordered = overlapDepth, true
	}
	emit := s.addEmitter()
	if o.batch.enabled {
		err = o.batch.each(g, func(line string) error {
			p, perr := s.repo.Paths().ToRepo(line)
			if perr != nil {
				o.batch.empty(g)
				return nil
			}
			opts := o.AddOptions
			opts.Inputs = []string{p}
			return s.repo.Add(ctx, opts, emit)
		})
		return s.finish(ctx, err)
	}
	inputs := s.resolveInputs("add", args)
	if !hadInputs(args, inputs) {
		return s.finish(ctx, nil)
	}
	o.Inputs = inputs
	return s.finish(ctx, s.repo.Add(ctx, o.AddOptions, emit))
}

// addEmitter renders add results as git-annex does: "add FILE ok" (or the
// JSON record), and for an input that names no file, git-annex's
// "git-annex: FILE not found" on stderr and a failure.
func (s *session) addEmitter() func(annex.AddResult) {
	return func(res annex.AddResult) {
		user := s.repo.Paths().ToUser(res.File)
		var nf *annex.NotFoundError
		if errors.As(res.Err, &nf) {
			if s.g.Face == invocation.FaceTrove {
				fmt.Fprintf(s.g.Stdio.Err, "trove: %s not found: no such file or directory; nothing was added for it (`git status --short` lists the files that can be added)\n", user)
			} else {
				fmt.Fprintf(s.g.Stdio.Err, "git-annex: %s not found\n", user)
			}
			s.out.Fail("add")
			return
		}
		a := ui.Action{Command: "add", File: user, Input: res.Input}
		if !res.Key.IsZero() {
			a.Key = res.Key.String()
		}
		t := s.out.Begin(a)
		if res.InGit {
			t.Note("non-large file; adding content to git repository")
		}
		if res.Warning != "" {
			t.Warn(res.Warning)
		}
		var ae *annex.AddError
		switch {
		case errors.As(res.Err, &ae):
			t.Warn(ae.Message(user))
		case res.Err != nil:
			t.Warn(res.Err.Error())
		}
		t.End(res.Err == nil, nil)
	}
}

// addJobs is how many files add ingests at once: -J, else annex.jobs,
// else one for the git-annex face (see implicitJobs) and the number of
// CPUs for trove's.
func addJobs(g *invocation.Globals, repo *annex.Repo) int {
	v := g.Jobs
	if v == "" {
		if configured, ok := repo.Config().Git().Get("annex.jobs"); ok {
			v = configured
		} else if g.Face == invocation.FaceTrove {
			return runtime.NumCPU()
		}
	}
	if strings.EqualFold(v, "cpus") {
		return runtime.NumCPU()
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return n
	}
	return 1
}
