package annexcli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
)

// queryCommands are the commands that report on files, keys and the
// repository: whereis, list, find, info and the key plumbing.
func queryCommands(g *invocation.Globals) []*cobra.Command {
	return []*cobra.Command{
		newWhereisCommand(g),
		newListCommand(g),
		newFindCommand(g),
		newInfoCommand(g),
		newLookupKeyCommand(g),
		newCalcKeyCommand(g),
		newExamineKeyCommand(g),
		newContentLocationCommand(g),
		newDropKeyCommand(g),
		newSetPresentKeyCommand(g),
		newCheckPresentKeyCommand(g),
		newMetadataCommand(g),
	}
}

// withMatching makes c accept git-annex's matching options (--in, --not,
// -( ... -), whose order matters and which cobra cannot parse) anywhere on
// its command line. run gets the remaining arguments and the terms.
func withMatching(c *cobra.Command, run func(cmd *cobra.Command, args []string, terms []MatchTerm) error) {
	c.DisableFlagParsing = true
	c.RunE = func(cmd *cobra.Command, args []string) error {
		rest, terms := extractMatching(args)
		// ParseFlags does nothing while flag parsing is disabled.
		cmd.DisableFlagParsing = false
		if err := cmd.ParseFlags(rest); err != nil {
			return err
		}
		if help, _ := cmd.Flags().GetBool("help"); help {
			return cmd.Help()
		}
		return run(cmd, cmd.Flags().Args(), terms)
	}
}

// matcher builds the repository matcher of the command line's terms.
func (s *session) matcher(ctx context.Context, terms []MatchTerm) (*annex.Matcher, error) {
	words := make([]string, len(terms))
	for i, t := range terms {
		words[i] = t.String()
	}
	m, err := s.repo.NewMatcher(ctx, words)
	if err != nil {
		return nil, fmt.Errorf("bad matching option: %w (see `git annex help matching-options`)", err)
	}
	return m, nil
}

// annexedFiles calls fn for every annexed file under args that m selects,
// in index order. fn gets the seek input as the user typed it. An argument
// naming nothing is reported as git reports it and counted as a failure
// of command.
func (s *session) annexedFiles(ctx context.Context, command string, args []string, m *annex.Matcher, fn func(f annex.AnnexedFile, input string) error) error {
	return s.annexedFilesBy(ctx, s.repo.Files, command, args, m, fn)
}

// annexedFilesBy is annexedFiles enumerating with files: Repo.Files, or
// Repo.FilesWithLocations for commands that read every file's location log.
func (s *session) annexedFilesBy(ctx context.Context, files func(context.Context, annex.FilesOptions, func(annex.AnnexedFile, error) error) error, command string, args []string, m *annex.Matcher, fn func(f annex.AnnexedFile, input string) error) error {
	inputs := s.resolveInputs(command, args)
	if !hadInputs(args, inputs) {
		return nil
	}
	user := map[string]string{}
	for i, a := range args {
		if i < len(inputs) {
			if p, err := s.repo.Paths().ToRepo(a); err == nil {
				user[p] = a
			}
		}
	}
	return files(ctx, annex.FilesOptions{Inputs: inputs}, func(f annex.AnnexedFile, err error) error {
		if err != nil {
			in := user[f.Input]
			if in == "" {
				in = f.Input
			}
			fmt.Fprintf(s.g.Stdio.Err, "error: pathspec '%s' did not match any file(s) known to git\nDid you forget to 'git add'?\n", in)
			s.out.Fail(command)
			return nil
		}
		ok, err := m.MatchFile(ctx, f)
		if err != nil || !ok {
			return err
		}
		input, ok := user[f.Input]
		if !ok {
			input = s.repo.Paths().ToUser(f.Path)
		}
		return fn(f, input)
	})
}
