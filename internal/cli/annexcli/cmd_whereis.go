package annexcli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/ui"
)

// whereisOptions are the flags of `git annex whereis`.
type whereisOptions struct {
	key   string
	batch batchOptions
}

func newWhereisCommand(g *invocation.Globals) *cobra.Command {
	var o whereisOptions
	c := &cobra.Command{
		Use:   "whereis [PATH ...]",
		Short: "lists repositories that have file content",
	}
	withMatching(c, func(cmd *cobra.Command, args []string, terms []MatchTerm) error {
		return withBufferedStdout(g, o.batch.enabled, func(g *invocation.Globals) error {
			return runWhereis(cmd.Context(), g, o, args, terms)
		})
	})
	c.Flags().StringVar(&o.key, "key", "", "operate on specified key")
	addJSONFlags(c, g, false)
	addBatchFlags(c, &o.batch)
	return c
}

func runWhereis(ctx context.Context, g *invocation.Globals, o whereisOptions, args []string, terms []MatchTerm) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	m, err := s.matcher(ctx, terms)
	if err != nil {
		return s.finish(ctx, err)
	}
	switch {
	case o.key != "":
		k, perr := key.Parse(o.key)
		if perr != nil {
			return s.finish(ctx, fmt.Errorf("bad key %q given to --key: %w", o.key, perr))
		}
		var w annex.WhereIs
		if w, err = s.repo.WhereIs(ctx, k); err == nil {
			s.whereis(ui.Action{Command: "whereis", Key: k.String()}, w)
		}
	case o.batch.enabled:
		err = o.batch.each(g, func(line string) error {
			shown := false
			p, perr := s.repo.Paths().ToRepo(line)
			if perr == nil {
				err := s.repo.Files(ctx, annex.FilesOptions{Inputs: []string{p}}, func(f annex.AnnexedFile, err error) error {
					if err != nil {
						return nil
					}
					if ok, err := m.MatchFile(ctx, f); err != nil || !ok {
						return err
					}
					shown = true
					return s.whereisFile(ctx, f, line)
				})
				if err != nil {
					return err
				}
			}
			if !shown {
				o.batch.empty(g)
			}
			return nil
		})
	default:
		err = s.annexedFilesBy(ctx, s.repo.FilesWithLocations, "whereis", args, m, func(f annex.AnnexedFile, input string) error {
			return s.whereisFile(ctx, f, input)
		})
	}
	return s.finish(ctx, err)
}

func (s *session) whereisFile(ctx context.Context, f annex.AnnexedFile, input string) error {
	w, err := s.repo.WhereIsFile(ctx, f)
	if err != nil {
		return err
	}
	s.whereis(ui.Action{Command: "whereis", File: s.repo.Paths().ToUser(f.Path), Input: []string{input}, Key: f.Key.String()}, w)
	return nil
}

// whereis reports where a key is as git-annex does: "N copies", the
// trusted and semitrusted copies, the untrusted ones, then the URLs.
// Having no (safe) copy is a failure.
func (s *session) whereis(a ui.Action, w annex.WhereIs) {
	t := s.out.Begin(a)
	n := len(w.Copies)
	word := "copies"
	if n == 1 {
		word = "copy"
	}
	t.Note(fmt.Sprintf("%d %s", n, word))
	if n > 0 {
		t.AddNote(ui.Note{Text: copyLines(w.Copies), Long: true})
	}
	if len(w.Untrusted) > 0 {
		t.AddNote(ui.Note{Text: "The following untrusted locations may also have copies:\n" + copyLines(w.Untrusted), Long: true})
	}
	for _, ru := range w.URLs {
		var b strings.Builder
		for _, u := range ru.URLs {
			b.WriteString(ru.Remote + ": " + u + "\n")
		}
		t.AddNote(ui.Note{Text: b.String(), Long: true})
	}
	t.End(n > 0, ui.Object{"whereis": copiesJSON(w.Copies), "untrusted": copiesJSON(w.Untrusted)})
}

// copyLines lists repositories as git-annex's prettyPrintUUIDs does: each
// "\tUUID -- desc\n", joined by spaces.
func copyLines(cs []annex.Copy) string {
	lines := make([]string, len(cs))
	for i, c := range cs {
		lines[i] = "\t" + c.Line() + "\n"
	}
	return strings.Join(lines, " ")
}

// copiesJSON is the "whereis"/"untrusted" array of whereis --json.
func copiesJSON(cs []annex.Copy) []ui.Object {
	out := make([]ui.Object, len(cs))
	for i, c := range cs {
		out[i] = ui.Object{"uuid": string(c.UUID), "description": c.Description, "here": c.Here, "urls": c.URLs}
	}
	return out
}
