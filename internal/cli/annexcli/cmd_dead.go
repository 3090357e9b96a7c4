package annexcli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/ui"
)

func newDeadCommand(g *invocation.Globals) *cobra.Command {
	var keys []string
	c := &cobra.Command{
		Use:   "dead [REPOSITORY ... | --key KEY]",
		Short: "hide a lost repository or key",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(keys) > 0 {
				if len(args) > 0 {
					return invocation.Exit(1, "git-annex: give either repositories or --key, not both")
				}
				return runDeadKeys(cmd.Context(), g, keys)
			}
			return runTrust(cmd.Context(), g, "dead", args)
		},
	}
	c.Flags().StringArrayVar(&keys, "key", nil, "keys whose content is lost everywhere")
	return c
}

// runDeadKeys marks keys whose content is lost everywhere as dead.
func runDeadKeys(ctx context.Context, g *invocation.Globals, args []string) error {
	keys := make([]key.Key, len(args))
	for i, a := range args {
		k, err := key.Parse(a)
		if err != nil {
			return invocation.Exit(1, "option --key: invalid key %q (keys look like SHA256E-s1234--abc….txt; `git annex lookupkey FILE` prints a file's key)", a)
		}
		keys[i] = k
	}
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	for _, k := range keys {
		t := s.out.Begin(ui.Action{Command: "dead", Key: k.String()})
		err := s.repo.DeadKey(ctx, k)
		if err != nil {
			t.Warn(err.Error() + " (drop the remaining copies first, or check them with `git annex whereis --key " + k.String() + "`)")
		}
		t.End(err == nil, nil)
	}
	return s.finish(ctx, nil)
}
