package annexcli

import (
	"context"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/ui"
)

// examineKeyOptions are the flags of `git annex examinekey`.
type examineKeyOptions struct {
	format    string
	hasFormat bool
	batch     batchOptions
}

func newExamineKeyCommand(g *invocation.Globals) *cobra.Command {
	var o examineKeyOptions
	c := &cobra.Command{
		Use:   "examinekey KEY ...",
		Short: "prints information from a key",
		RunE: func(cmd *cobra.Command, args []string) error {
			o.hasFormat = cmd.Flags().Changed("format")
			return runExamineKey(cmd.Context(), g, o, args)
		},
	}
	c.Flags().StringVar(&o.format, "format", "", "control format of output")
	addJSONFlags(c, g, false)
	addBatchFlags(c, &o.batch)
	return c
}

// runExamineKey prints the format variables of each key. An argument may
// be "KEY FILE", which sets ${file}. A malformed key ends the command with
// git-annex's "bad key".
func runExamineKey(ctx context.Context, g *invocation.Globals, o examineKeyOptions, args []string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	format := annex.ParseFormat("${key}\\n")
	if o.hasFormat {
		format = annex.ParseFormat(o.format)
	}
	one := func(arg string) error {
		ks, file, hasFile := strings.Cut(arg, " ")
		k, err := key.Parse(ks)
		if err != nil {
			return invocation.Exit(1, "git-annex: bad key")
		}
		vars := s.repo.ExamineKey(k)
		if hasFile {
			vars["file"] = file
		}
		if g.JSON {
			fields := make(ui.Object, len(vars))
			for k, v := range vars {
				fields[k] = v
			}
			s.out.Record(ui.Record{Fields: fields})
			return nil
		}
		_, err = io.WriteString(g.Stdio.Out, format.Expand(vars))
		return err
	}
	if o.batch.enabled {
		return s.finish(ctx, o.batch.each(g, one))
	}
	for _, a := range args {
		if err := one(a); err != nil {
			return s.finish(ctx, err)
		}
	}
	return s.finish(ctx, nil)
}
