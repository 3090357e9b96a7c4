package annexcli

import (
	"context"
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/ui"
)

func newFromKeyCommand(g *invocation.Globals) *cobra.Command {
	var batch batchOptions
	c := &cobra.Command{
		Use:   "fromkey KEY PATH ...",
		Short: "adds a file using a specific key",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFromKey(cmd.Context(), g, batch, args)
		},
	}
	addJSONFlags(c, g, false)
	addBatchFlags(c, &batch)
	return c
}

func runFromKey(ctx context.Context, g *invocation.Globals, batch batchOptions, args []string) error {
	if !batch.enabled && (len(args) == 0 || len(args)%2 != 0) {
		return invocation.Exit(1, "git-annex: fromkey needs KEY PATH pairs, e.g. `git annex fromkey %s FILE`", "SHA256E-s4--...")
	}
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	adder, err := s.repo.NewKeyAdder(ctx, g.Force)
	if err != nil {
		return s.finish(ctx, err)
	}
	if batch.enabled {
		err = batch.each(g, func(line string) error {
			ks, file, _ := strings.Cut(line, " ")
			return s.fromKey(ctx, adder, ks, file, []string{line})
		})
	} else {
		for i := 0; i < len(args) && err == nil; i += 2 {
			err = s.fromKey(ctx, adder, args[i], args[i+1], []string{args[i], args[i+1]})
		}
	}
	changed, cerr := adder.Close(ctx)
	s.staged(changed)
	return s.finish(ctx, errors.Join(err, cerr))
}

// fromKey adds one file. A key whose content is absent (without --force)
// ends the command, as in git-annex; other problems fail the file.
func (s *session) fromKey(ctx context.Context, adder *annex.KeyAdder, ks, file string, input []string) error {
	a := ui.Action{Command: "fromkey", File: file, Input: input}
	k, kerr := key.Parse(ks)
	if kerr != nil {
		t := s.out.Begin(a)
		t.Warn("bad key/url " + ks)
		t.End(false, nil)
		return nil
	}
	a.Key = k.String()
	path, err := s.repo.Paths().ToRepo(file)
	if err != nil {
		t := s.out.Begin(a)
		t.Warn(err.Error())
		t.End(false, nil)
		return nil
	}
	_, err = adder.Add(ctx, k, path)
	var np *annex.KeyNotPresentError
	if errors.As(err, &np) {
		return err
	}
	t := s.out.Begin(a)
	if err != nil {
		t.Warn(err.Error())
	}
	t.End(err == nil, nil)
	return nil
}
