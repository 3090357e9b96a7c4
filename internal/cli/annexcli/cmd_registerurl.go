package annexcli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/ui"
)

func newRegisterURLCommand(g *invocation.Globals) *cobra.Command {
	var batch batchOptions
	c := &cobra.Command{
		Use:   "registerurl KEY URL",
		Short: "registers an url for a key",
		RunE: func(cmd *cobra.Command, args []string) error {
			// Without arguments git-annex reads "KEY URL" lines, as --batch.
			batch.enabled = batch.enabled || len(args) == 0
			return runKeyURL(cmd.Context(), g, batch, args, (*annex.Repo).RegisterURL)
		},
	}
	addJSONFlags(c, g, false)
	addBatchFlags(c, &batch)
	return c
}

// runKeyURL runs registerurl or unregisterurl: act on each KEY URL pair
// from the arguments or from batch input. Both report as "registerurl",
// as git-annex 10.20230126 does.
func runKeyURL(ctx context.Context, g *invocation.Globals, batch batchOptions, args []string,
	act func(*annex.Repo, context.Context, key.Key, string) error) error {
	if !batch.enabled && len(args) != 2 {
		return invocation.Exit(1, "git-annex: specify a key and an url")
	}
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	one := func(ks, url string, input []string) error {
		t := s.out.Begin(ui.Action{Command: "registerurl", Subject: url, Input: input})
		k, kerr := key.Parse(ks)
		if kerr != nil {
			t.Warn("bad key/url " + ks)
			t.End(false, nil)
			return nil
		}
		if err := act(s.repo, ctx, k, url); err != nil {
			t.Warn(err.Error())
			t.End(false, nil)
			return nil
		}
		t.End(true, nil)
		return nil
	}
	if batch.enabled {
		err = batch.each(g, func(line string) error {
			ks, url, _ := strings.Cut(line, " ")
			if _, kerr := key.Parse(ks); url == "" || kerr != nil {
				msg := "no url provided"
				if kerr != nil {
					msg = "bad key " + ks
				}
				s.out.Warn(msg)
				batch.empty(g)
				return nil
			}
			return one(ks, url, []string{line})
		})
	} else {
		err = one(args[0], args[1], args)
	}
	return s.finish(ctx, err)
}
