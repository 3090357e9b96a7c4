package annexcli

import (
	"context"
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

// findOptions are the flags of `git annex find`.
type findOptions struct {
	format    string
	hasFormat bool
	print0    bool
	batch     batchOptions
}

func newFindCommand(g *invocation.Globals) *cobra.Command {
	var o findOptions
	c := &cobra.Command{
		Use:   "find [PATH ...]",
		Short: "lists available files",
	}
	withMatching(c, func(cmd *cobra.Command, args []string, terms []MatchTerm) error {
		o.hasFormat = cmd.Flags().Changed("format")
		return withBufferedStdout(g, o.batch.enabled, func(g *invocation.Globals) error {
			return runFind(cmd.Context(), g, o, args, terms)
		})
	})
	c.Flags().StringVar(&o.format, "format", "", "control format of output")
	c.Flags().BoolVar(&o.print0, "print0", false, "output filenames terminated with nulls")
	addJSONFlags(c, g, false)
	addBatchFlags(c, &o.batch)
	return c
}

// finder prints the files find selects.
type finder struct {
	s       *session
	m       *annex.Matcher
	format  annex.Format
	present bool // only files whose content is here (no matching option given)
}

func runFind(ctx context.Context, g *invocation.Globals, o findOptions, args []string, terms []MatchTerm) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	if s.repo.Git().Bare {
		return s.finish(ctx, errBareRepository)
	}
	m, err := s.matcher(ctx, terms)
	if err != nil {
		return s.finish(ctx, err)
	}
	f := finder{s: s, m: m, present: m.IsEmpty(), format: annex.ParseFormat("${file}\\n")}
	switch {
	case o.hasFormat:
		f.format = annex.ParseFormat(o.format)
	case o.print0:
		f.format = annex.ParseFormat("${file}\\000")
	}
	if o.batch.enabled {
		err = o.batch.each(g, func(line string) error {
			shown := false
			if p, perr := s.repo.Paths().ToRepo(line); perr == nil {
				err := s.repo.Files(ctx, annex.FilesOptions{Inputs: []string{p}}, func(af annex.AnnexedFile, err error) error {
					if err != nil {
						return nil
					}
					ok, err := f.show(ctx, af)
					shown = shown || ok
					return err
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
		return s.finish(ctx, err)
	}
	err = s.annexedFiles(ctx, "find", args, m, func(af annex.AnnexedFile, _ string) error {
		_, err := f.show(ctx, af)
		return err
	})
	return s.finish(ctx, err)
}

// show prints af when it is selected and reports whether it did.
func (f finder) show(ctx context.Context, af annex.AnnexedFile) (bool, error) {
	if ok, err := f.m.MatchFile(ctx, af); err != nil || !ok {
		return false, err
	}
	if f.present {
		has, err := f.s.repo.HasContent(af.Key)
		if err != nil || !has {
			return false, err
		}
	}
	vars := annex.KeyVars(af.Key)
	vars["file"] = f.s.repo.Paths().ToUser(af.Path)
	if f.s.g.JSON {
		fields := make(ui.Object, len(vars))
		for k, v := range vars {
			fields[k] = v
		}
		f.s.out.Record(ui.Record{Fields: fields})
		return true, nil
	}
	_, err := io.WriteString(f.s.g.Stdio.Out, f.format.Expand(vars))
	return true, err
}

// errBareRepository is git-annex's refusal of commands that need a work
// tree.
var errBareRepository = errors.New("You cannot run this command in a bare repository.")
