package annexcli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/ui"
)

func newDropKeyCommand(g *invocation.Globals) *cobra.Command {
	var batch batchOptions
	c := &cobra.Command{
		Use:   "dropkey KEY ...",
		Short: "drops annexed content for specified keys",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDropKey(cmd.Context(), g, batch, args)
		},
	}
	addJSONFlags(c, g, false)
	addBatchFlags(c, &batch)
	return c
}

// runDropKey removes the content of each key, from the arguments or batch
// input, as git-annex's dropkey plumbing: only with --force, no copies
// checked; "dropkey KEY ok" per key (also for content already absent). A
// malformed key ends the command with git-annex's words and status 1.
func runDropKey(ctx context.Context, g *invocation.Globals, batch batchOptions, args []string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	if !g.Force {
		return s.finish(ctx, invocation.Exit(1, "git-annex: dropkey can cause data loss; use --force if you're sure you want to do this"))
	}
	if batch.enabled && len(args) > 0 {
		return s.finish(ctx, invocation.Exit(1, "git-annex: Cannot combine batch option with file or key options"))
	}
	one := func(arg string, bad string) error {
		k, err := key.Parse(arg)
		if err != nil {
			return invocation.Exit(1, "git-annex: %s", bad)
		}
		t := s.out.Begin(ui.Action{Command: "dropkey", Key: k.String(), Input: []string{arg}})
		if _, err := s.repo.DropKey(ctx, k); err != nil {
			t.Warn(err.Error())
			t.End(false, nil)
			return nil
		}
		t.End(true, nil)
		return nil
	}
	if batch.enabled {
		return s.finish(ctx, batch.each(g, func(line string) error {
			return one(line, "Batch input parse failure: bad key")
		}))
	}
	for _, a := range args {
		if err := one(a, "bad key"); err != nil {
			return s.finish(ctx, err)
		}
	}
	return s.finish(ctx, nil)
}
