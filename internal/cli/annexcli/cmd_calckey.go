package annexcli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
)

func newCalcKeyCommand(g *invocation.Globals) *cobra.Command {
	var batch batchOptions
	var backendName string
	c := &cobra.Command{
		Use:   "calckey FILE ...",
		Short: "calculate key for a file",
		RunE: func(cmd *cobra.Command, args []string) error {
			name := backendName
			if name == "" {
				name = g.Backend
			}
			return runKeyPerPath(cmd.Context(), g, batch, args, func(ctx context.Context, s *session, p string) (key.Key, bool, error) {
				k, err := s.repo.CalcKey(ctx, p, name)
				if err != nil {
					return key.Key{}, false, nil
				}
				return k, true, nil
			})
		},
	}
	c.Flags().StringVarP(&backendName, "backend", "b", "", "specify key-value backend to use")
	addBatchFlags(c, &batch)
	return c
}
