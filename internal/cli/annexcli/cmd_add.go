package annexcli

import (
	"context"

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
	emit := func(res annex.AddResult) {
		a := ui.Action{Command: "add", File: s.repo.Paths().ToUser(res.File), Input: res.Input}
		if !res.Key.IsZero() {
			a.Key = res.Key.String()
		}
		t := s.out.Begin(a)
		if res.InGit {
			t.Note("non-large file; adding content to git repository")
		}
		if res.Err != nil {
			t.Warn(res.Err.Error())
		}
		t.End(res.Err == nil, nil)
	}
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
