package annexcli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
)

func newContentLocationCommand(g *invocation.Globals) *cobra.Command {
	var batch batchOptions
	c := &cobra.Command{
		Use:   "contentlocation KEY ...",
		Short: "looks up content for a key",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runContentLocation(cmd.Context(), g, batch, args)
		},
	}
	addBatchFlags(c, &batch)
	return c
}

// runContentLocation prints where each key's content is; a key whose
// content is absent prints nothing (an empty line in batch mode) and makes
// the exit status 1; a malformed key ends the command.
func runContentLocation(ctx context.Context, g *invocation.Globals, batch batchOptions, args []string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	failed := false
	one := func(arg string) error {
		k, err := key.Parse(arg)
		if err != nil {
			return invocation.Exit(1, "git-annex: bad key")
		}
		p, ok, err := s.repo.ContentLocation(k)
		if err != nil {
			return err
		}
		if !ok {
			failed = true
			if batch.enabled {
				batch.empty(g)
			}
			return nil
		}
		_, err = fmt.Fprintln(g.Stdio.Out, p)
		return err
	}
	if batch.enabled {
		err = batch.each(g, one)
		failed = false
	} else {
		for _, a := range args {
			if err = one(a); err != nil {
				break
			}
		}
	}
	if err := s.finish(ctx, err); err != nil {
		return err
	}
	if failed {
		return invocation.Failed()
	}
	return nil
}
