package annexcli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
)

func newLookupKeyCommand(g *invocation.Globals) *cobra.Command {
	var batch batchOptions
	c := &cobra.Command{
		Use:   "lookupkey FILE ...",
		Short: "looks up key used for file",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runKeyPerPath(cmd.Context(), g, batch, args, func(ctx context.Context, s *session, p string) (key.Key, bool, error) {
				return s.repo.LookupKey(ctx, p)
			})
		},
	}
	addBatchFlags(c, &batch)
	return c
}

// runKeyPerPath prints the key fn finds for each path (lookupkey,
// calckey): one line per path, an empty line in batch mode for a path
// without one, and exit status 1 otherwise.
func runKeyPerPath(ctx context.Context, g *invocation.Globals, batch batchOptions, args []string,
	fn func(ctx context.Context, s *session, repoPath string) (key.Key, bool, error)) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	lookup := func(arg string) (key.Key, bool, error) {
		p, err := s.repo.Paths().ToRepo(arg)
		if err != nil {
			return key.Key{}, false, nil
		}
		return fn(ctx, s, p)
	}
	if batch.enabled {
		err = batch.each(g, func(line string) error {
			k, ok, err := lookup(line)
			if err != nil || !ok {
				batch.empty(g)
				return nil
			}
			_, err = fmt.Fprintln(g.Stdio.Out, k.String())
			return err
		})
		return s.finish(ctx, err)
	}
	failed := false
	for _, a := range args {
		k, ok, err := lookup(a)
		if err != nil {
			return s.finish(ctx, err)
		}
		if !ok {
			failed = true
			continue
		}
		if _, err := fmt.Fprintln(g.Stdio.Out, k.String()); err != nil {
			return s.finish(ctx, err)
		}
	}
	if err := s.finish(ctx, nil); err != nil {
		return err
	}
	if failed {
		return invocation.Failed()
	}
	return nil
}
