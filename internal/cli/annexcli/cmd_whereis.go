package annexcli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

// whereisOptions are the flags of `git annex whereis`.
type whereisOptions struct {
	seek seekFlags
}

func newWhereisCommand(g *invocation.Globals) *cobra.Command {
	var o whereisOptions
	c := &cobra.Command{
		Use:   "whereis [PATH ...]",
		Short: "lists repositories that have file content",
	}
	withMatching(c, func(cmd *cobra.Command, args []string, terms []MatchTerm) error {
		return withBufferedStdout(g, o.seek.batching(), func(g *invocation.Globals) error {
			return runWhereis(cmd.Context(), g, o, args, terms)
		})
	})
	addJSONFlags(c, g, false)
	addSeekFlags(c, &o.seek)
	return c
}

func runWhereis(ctx context.Context, g *invocation.Globals, o whereisOptions, args []string, terms []MatchTerm) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	f := o.seek
	if !f.batching() && !f.keyed() && !s.repo.Git().Bare {
		// Files of the work tree: the location logs come with the
		// enumeration, the fastest path.
		m, err := s.matcher(ctx, terms)
		if err != nil {
			return s.finish(ctx, err)
		}
		err = s.annexedFilesBy(ctx, s.repo.FilesWithLocations, "whereis", args, m, func(f annex.AnnexedFile, input string) error {
			return s.whereisFile(ctx, f, input)
		})
		return s.finish(ctx, err)
	}
	// Keys (--all, --key, --unused, a bare repository), --branch and
	// batch input go through the seeker the transfer commands use.
	err = s.runItems(ctx, "whereis", nil, f, args, terms, func(ctx context.Context, it annex.Item) bool {
		w, err := s.repo.WhereIs(ctx, it.Key)
		if err != nil {
			s.out.Warn(err.Error())
			s.out.Fail("whereis")
			return false
		}
		s.whereis(s.itemAction("whereis", it), w)
		return true
	})
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
