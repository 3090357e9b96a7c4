package annexcli

import (
	"bufio"
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/worktree/filter"
)

// newFilterProcessCommand is the long-running filter git starts once per
// git command (filter.annex.process).
func newFilterProcessCommand(g *invocation.Globals) *cobra.Command {
	return &cobra.Command{
		Use:    "filter-process",
		Short:  "long running git filter process",
		Args:   cobra.NoArgs,
		Hidden: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runFilterProcess(cmd.Context(), g)
		},
	}
}

func runFilterProcess(ctx context.Context, g *invocation.Globals) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	f := s.repo.NewFilter()
	w := bufio.NewWriterSize(g.Stdio.Out, 64*1024)
	srv := &filter.Server{
		Handler: f,
		OnError: func(command, path string, err error) {
			fmt.Fprintf(g.Stdio.Err, "git-annex: %s %s: %v\n", command, path, err)
		},
	}
	serveErr := srv.Serve(ctx, bufio.NewReaderSize(g.Stdio.In, 64*1024), w)
	if err := w.Flush(); serveErr == nil {
		serveErr = err
	}
	_ = f.Close()
	return s.finishQuiet(ctx, serveErr)
}

// newSmudgeCommand is the single-file filter (filter.annex.smudge and
// filter.annex.clean) and `smudge --update`, run by the post-checkout and
// post-merge hooks.
func newSmudgeCommand(g *invocation.Globals) *cobra.Command {
	var clean, update bool
	c := &cobra.Command{
		Use:    "smudge [--clean] FILE",
		Short:  "git smudge filter",
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSmudge(cmd.Context(), g, clean, update, args)
		},
	}
	c.Flags().BoolVar(&clean, "clean", false, "clean filter")
	c.Flags().BoolVar(&update, "update", false, "populate annexed worktree files")
	return c
}

func runSmudge(ctx context.Context, g *invocation.Globals, clean, update bool, args []string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	if update {
		return s.finishQuiet(ctx, s.repo.PopulateUnlocked(ctx))
	}
	if len(args) != 1 {
		return s.finishQuiet(ctx, fmt.Errorf("smudge: expected one file name"))
	}
	path, err := s.repo.Paths().ToRepo(args[0])
	if err != nil {
		return s.finishQuiet(ctx, err)
	}
	f := s.repo.NewFilter()
	defer f.Close()
	w := bufio.NewWriter(g.Stdio.Out)
	in := g.Stdio.In
	if clean {
		err = f.Clean(ctx, path, in, w)
	} else {
		err = f.Smudge(ctx, path, in, w)
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return s.finishQuiet(ctx, err)
}

// finishQuiet ends a plumbing command run by git: it commits the branch
// without reporting it, as git-annex does inside filters and hooks.
func (s *session) finishQuiet(ctx context.Context, runErr error) error {
	_, cerr := s.repo.Commit(context.WithoutCancel(ctx))
	_ = s.repo.Close()
	if runErr == nil {
		runErr = cerr
	}
	if runErr != nil {
		return invocation.Exit(1, "git-annex: %v", runErr)
	}
	return nil
}
