package annexcli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

func newRmURLCommand(g *invocation.Globals) *cobra.Command {
	var batch batchOptions
	c := &cobra.Command{
		Use:   "rmurl FILE URL ...",
		Short: "record file is not available at url",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRmURL(cmd.Context(), g, batch, args)
		},
	}
	// git-annex 10.20230126 has no --json for rmurl.
	addBatchFlags(c, &batch)
	return c
}

func runRmURL(ctx context.Context, g *invocation.Globals, batch batchOptions, args []string) error {
	if !batch.enabled && (len(args) == 0 || len(args)%2 != 0) {
		return invocation.Exit(1, "git-annex: rmurl needs FILE URL pairs, e.g. `git annex rmurl file.dat https://example.com/file.dat`")
	}
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	if batch.enabled {
		err = batch.each(g, func(line string) error {
			// The URL is after the last space: file names may have spaces.
			i := strings.LastIndexByte(line, ' ')
			if i <= 0 || i == len(line)-1 {
				s.out.Warn(`Expected: "file url"`)
				batch.empty(g)
				return nil
			}
			return s.rmURL(ctx, line[:i], line[i+1:], []string{line})
		})
	} else {
		for i := 0; i < len(args) && err == nil; i += 2 {
			err = s.rmURL(ctx, args[i], args[i+1], args[i:i+2])
		}
	}
	return s.finish(ctx, err)
}

// rmURL forgets url for the annexed file (a cwd-relative path); files
// that are not annexed are skipped silently, as by git-annex.
func (s *session) rmURL(ctx context.Context, file, url string, input []string) error {
	p, err := s.repo.Paths().ToRepo(file)
	if err != nil {
		return nil
	}
	k, ok, err := s.repo.LookupKey(ctx, p)
	if err != nil || !ok {
		return err
	}
	t := s.out.Begin(ui.Action{Command: "rmurl", File: s.repo.Paths().ToUser(p), Key: k.String(), Input: input})
	if err := s.repo.UnregisterURL(ctx, k, url); err != nil {
		t.Warn(err.Error())
		t.End(false, nil)
		return nil
	}
	t.End(true, nil)
	return nil
}
