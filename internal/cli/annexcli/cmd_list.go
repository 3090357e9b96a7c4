package annexcli

import (
	"context"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

func newListCommand(g *invocation.Globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "list [PATH ...]",
		Short: "show which remotes contain files",
	}
	withMatching(c, func(cmd *cobra.Command, args []string, terms []MatchTerm) error {
		return withBufferedStdout(g, false, func(g *invocation.Globals) error {
			return runList(cmd.Context(), g, args, terms)
		})
	})
	return c
}

// runList prints git-annex's column display: a header naming here, the
// remotes, web and bittorrent, then one row of X/_ per annexed file.
func runList(ctx context.Context, g *invocation.Globals, args []string, terms []MatchTerm) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	m, err := s.matcher(ctx, terms)
	if err != nil {
		return s.finish(ctx, err)
	}
	cols, err := s.repo.ListColumns(ctx)
	if err != nil {
		return s.finish(ctx, err)
	}
	for i, c := range cols {
		name := c.Name
		if c.UnTrusted {
			name += " (untrusted)"
		}
		s.out.Record(ui.Record{Human: strings.Repeat("|", i) + name})
	}
	s.out.Record(ui.Record{Human: strings.Repeat("|", len(cols))})
	row := make([]byte, len(cols))
	err = s.annexedFilesBy(ctx, s.repo.FilesWithLocations, "list", args, m, func(f annex.AnnexedFile, _ string) error {
		locs, err := s.repo.FileLocations(ctx, f)
		if err != nil {
			return err
		}
		for i, c := range cols {
			row[i] = '_'
			switch {
			case !slices.Contains(locs, c.UUID):
			case c.UnTrusted:
				row[i] = 'x'
			default:
				row[i] = 'X'
			}
		}
		s.out.Record(ui.Record{Human: string(row) + " " + s.repo.Paths().ToUser(f.Path)})
		return nil
	})
	return s.finish(ctx, err)
}
