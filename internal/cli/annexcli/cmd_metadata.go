package annexcli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/ui"
)

// metadataOptions are the flags of `git annex metadata`.
type metadataOptions struct {
	get                 string
	set, tag, untag     []string
	remove              []string
	removeAll           bool
	seek                seekFlags // the key options and --batch
	hasGet, hasModifier bool
}

func newMetadataCommand(g *invocation.Globals) *cobra.Command {
	var o metadataOptions
	c := &cobra.Command{
		Use:   "metadata [PATH ...]",
		Short: "sets or gets metadata of a file",
	}
	withMatching(c, func(cmd *cobra.Command, args []string, terms []MatchTerm) error {
		f := cmd.Flags()
		o.hasGet = f.Changed("get")
		o.hasModifier = f.Changed("set") || f.Changed("tag") || f.Changed("untag") || f.Changed("remove") || o.removeAll
		return runMetadata(cmd.Context(), g, o, args, terms)
	})
	f := c.Flags()
	f.StringVarP(&o.get, "get", "g", "", "get single metadata field")
	f.StringArrayVarP(&o.set, "set", "s", nil, "set or unset metadata value (FIELD[+-]=VALUE)")
	f.StringArrayVarP(&o.tag, "tag", "t", nil, "set a tag")
	f.StringArrayVarP(&o.untag, "untag", "u", nil, "remove a tag")
	f.StringArrayVarP(&o.remove, "remove", "r", nil, "remove all values of a field")
	f.BoolVar(&o.removeAll, "remove-all", false, "remove all metadata")
	addJSONFlags(c, g, false)
	addKeyFlags(c, &o.seek)
	addBatchFlags(c, &o.seek.batch)
	return c
}

// changes returns the metadata changes the flags ask for, in git-annex's
// words when one does not parse.
func (o metadataOptions) changes() ([]annex.MetaChange, error) {
	var out []annex.MetaChange
	for _, s := range o.set {
		c, err := parseModMeta(s)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	for _, t := range o.tag {
		out = append(out, annex.MetaChange{Op: annex.MetaAdd, Field: "tag", Values: []string{t}})
	}
	for _, t := range o.untag {
		out = append(out, annex.MetaChange{Op: annex.MetaDel, Field: "tag", Values: []string{t}})
	}
	for _, r := range o.remove {
		if err := annex.CheckMetaField(r); err != nil {
			return nil, err
		}
		out = append(out, annex.MetaChange{Op: annex.MetaRemove, Field: r})
	}
	if o.removeAll {
		out = append(out, annex.MetaChange{Op: annex.MetaRemoveAll})
	}
	return out, nil
}

// parseModMeta parses --set's FIELD=VALUE, FIELD+=VALUE, FIELD-=VALUE or
// FIELD?=VALUE.
func parseModMeta(s string) (annex.MetaChange, error) {
	name, value, ok := strings.Cut(s, "=")
	if !ok {
		return annex.MetaChange{}, fmt.Errorf("missing =")
	}
	c := annex.MetaChange{Op: annex.MetaSet, Field: name, Values: []string{value}}
	switch {
	case strings.HasSuffix(name, "+"):
		c.Op, c.Field = annex.MetaAdd, strings.TrimSuffix(name, "+")
	case strings.HasSuffix(name, "-"):
		c.Op, c.Field = annex.MetaDel, strings.TrimSuffix(name, "-")
	case strings.HasSuffix(name, "?"):
		c.Op, c.Field = annex.MetaMaybeSet, strings.TrimSuffix(name, "?")
	}
	if err := annex.CheckMetaField(c.Field); err != nil {
		return annex.MetaChange{}, err
	}
	return c, nil
}

// runMetadata shows or changes the metadata of annexed files, as
// git-annex's metadata command: a "metadata FILE" action per file whose
// JSON has the resulting "fields" (with the derived lastchanged fields)
// and, as its note, one "FIELD=VALUE" line per value; --get prints the
// values of one field. --all, --key, --unused and --branch act on keys
// (or another branch's files) instead. Changing the files of a directory
// (or of the whole tree) needs --force, as in git-annex. With --batch
// (only in --json mode, as in git-annex) each input line is a JSON object
// naming a "file" or a "key", with optional "fields" to set (an empty
// list removes a field); its answer is the action's JSON, an empty line
// for a file that is not annexed, and input that does not parse ends the
// command with git-annex's "Batch input parse failure: Error in $...".
func runMetadata(ctx context.Context, g *invocation.Globals, o metadataOptions, args []string, terms []MatchTerm) error {
	batch := o.seek.batch
	if batch.enabled {
		switch {
		case !g.JSON:
			return invocation.Exit(1, "git-annex: --batch is currently only supported in --json mode")
		case len(terms) > 0:
			return invocation.Exit(1, "git-annex: combining --batch with file matching options is not currently supported")
		case len(args) > 0 || o.seek.keyed():
			return invocation.Exit(1, "git-annex: Cannot combine batch option with file or key options")
		}
	}
	changes, err := o.changes()
	if err != nil {
		return invocation.Exit(1, "git-annex: %v", err)
	}
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	if batch.enabled {
		return s.finish(ctx, batch.each(g, func(line string) error {
			return s.metadataBatchItem(ctx, batch, line)
		}))
	}
	act := func(ctx context.Context, a ui.Action, k key.Key) error {
		if o.hasGet {
			return s.printMetaField(ctx, k, o.get)
		}
		return s.metadataAction(ctx, a, k, changes)
	}
	if o.seek.keyed() {
		// One item at a time, in order, as git-annex: there is nothing to
		// overlap, and --get's lines must not interleave.
		so, ok, err := s.seekOptions(ctx, "metadata", o.seek, args, terms)
		if err == nil && ok {
			err = s.repo.Seek(ctx, so, func(it annex.Item) error {
				return act(ctx, s.itemAction("metadata", it), it.Key)
			})
		}
		return s.finish(ctx, err)
	}
	if o.hasModifier && !g.Force {
		if err := s.checkNotRecursive(ctx, args); err != nil {
			return s.finish(ctx, err)
		}
	}
	m, err := s.matcher(ctx, terms)
	if err != nil {
		return s.finish(ctx, err)
	}
	return s.finish(ctx, s.annexedFiles(ctx, "metadata", args, m, func(f annex.AnnexedFile, input string) error {
		a := ui.Action{Command: "metadata", File: s.repo.Paths().ToUser(f.Path), Key: f.Key.String(), Input: []string{input}}
		return act(ctx, a, f.Key)
	}))
}

// errRecursiveMetadata is git-annex's refusal to change the metadata of
// every file in a directory without --force.
var errRecursiveMetadata = invocation.Exit(1, "git-annex: Not recursively setting metadata. Use --force to do that.")

// checkNotRecursive refuses, as git-annex does without --force, to change
// metadata when no path is given or when a path names more than one file
// known to git (a directory of several files). Only directories, and
// paths not in the work tree, are listed with git: a file names itself.
func (s *session) checkNotRecursive(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errRecursiveMetadata
	}
	for _, a := range args {
		p, err := s.repo.Paths().ToRepo(a)
		if err != nil {
			continue // reported as the path's failure later
		}
		if fi, err := os.Lstat(s.repo.Paths().Abs(p)); err == nil && !fi.IsDir() {
			continue
		}
		n := 0
		for e, err := range s.repo.Git().LsFilesStage(ctx, "--", p) {
			if err != nil {
				return err
			}
			if e.Stage <= 1 {
				n++
			}
		}
		if n > 1 {
			return errRecursiveMetadata
		}
	}
	return nil
}

// printMetaField prints the values of field, one per line.
func (s *session) printMetaField(ctx context.Context, k key.Key, field string) error {
	md, err := s.repo.MetaData(ctx, k)
	if err != nil {
		return err
	}
	for _, f := range md {
		if strings.EqualFold(f.Name, field) {
			for _, v := range f.Values {
				if _, err := fmt.Fprintln(s.g.Stdio.Out, v.Value); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// metadataAction applies changes to k's metadata (none: only shows it)
// and reports the result as the action a.
func (s *session) metadataAction(ctx context.Context, a ui.Action, k key.Key, changes []annex.MetaChange) error {
	t := s.out.BeginIn(ctx, a)
	var md logs.MetaData
	var err error
	if len(changes) == 0 {
		md, err = s.repo.MetaData(ctx, k)
	} else {
		md, err = s.repo.ChangeMetaData(ctx, k, changes)
	}
	if err != nil {
		t.Warn(err.Error())
		t.End(false, nil)
		return nil
	}
	fields := ui.Object{}
	var note strings.Builder
	for _, f := range md {
		vals := make([]string, len(f.Values))
		for i, v := range f.Values {
			vals[i] = v.Value
			note.WriteString(f.Name + "=" + v.Value + "\n")
		}
		fields[f.Name] = vals
	}
	t.AddNote(ui.Note{Text: note.String(), Long: true, HumanOnly: true})
	t.End(true, ui.Object{"fields": fields, "note": note.String()})
	return nil
}

// metadataBatchItem answers one --batch --json input line.
func (s *session) metadataBatchItem(ctx context.Context, batch batchOptions, line string) error {
	req, bad := parseMetadataRequest(line)
	if bad != "" {
		return invocation.Exit(1, "git-annex: Batch input parse failure: %s", bad)
	}
	a := ui.Action{Command: "metadata", Input: []string{line}}
	k := req.key
	if !req.hasKey {
		p, err := s.repo.Paths().ToRepo(req.file)
		var ok bool
		if err == nil {
			k, ok, err = s.repo.LookupKey(ctx, p)
		}
		if err != nil || !ok {
			batch.empty(s.g)
			return nil
		}
		// git-annex shows a relative path as given ("./a"), an absolute
		// one relative to the current directory.
		a.File = req.file
		if filepath.IsAbs(req.file) {
			a.File = s.repo.Paths().ToUser(p)
		}
	}
	a.Key = k.String()
	return s.metadataAction(ctx, a, k, req.changes)
}

// metadataRequest is one --batch --json input of metadata.
type metadataRequest struct {
	file    string
	key     key.Key
	hasKey  bool
	changes []annex.MetaChange
}

// parseMetadataRequest parses a --batch --json input line as git-annex
// does; the error is git-annex's message (after "Batch input parse
// failure: "). A "key" wins over a "file"; "fields" maps each field to
// the values it is to have.
func parseMetadataRequest(line string) (metadataRequest, string) {
	v, bad := parseAesonJSON(line)
	if bad != "" {
		return metadataRequest{}, "Error in $: " + bad
	}
	if v.kind != "object" {
		return metadataRequest{}, "Error in $: mempty"
	}
	var req metadataRequest
	if kv, ok := v.get("key"); ok && kv.kind != "null" {
		k, err := key.Parse(kv.str)
		if kv.kind != "string" || err != nil {
			return metadataRequest{}, "Error in $: mempty"
		}
		req.key, req.hasKey = k, true
	}
	fv, hasFile := v.get("file")
	if hasFile && fv.kind != "null" {
		if fv.kind != "string" {
			return metadataRequest{}, "Error in $.file: expected String, but encountered " + fv.aesonKind()
		}
		req.file = fv.str
	} else {
		hasFile = false
	}
	if fields, ok := v.get("fields"); ok && fields.kind != "null" {
		if fields.kind != "object" {
			return metadataRequest{}, "Error in $.fields: expected an object"
		}
		for _, m := range fields.members {
			if err := annex.CheckMetaField(m.name); err != nil {
				return metadataRequest{}, "Error in $.fields: " + err.Error()
			}
			if m.value.kind != "array" {
				return metadataRequest{}, "Error in $.fields: parsing [] failed, expected Array, but encountered " + m.value.aesonKind()
			}
			c := annex.MetaChange{Op: annex.MetaSet, Field: m.name}
			for i, it := range m.value.items {
				if it.kind != "string" {
					return metadataRequest{}, fmt.Sprintf("Error in $.fields[%d]: expected a string", i)
				}
				c.Values = append(c.Values, it.str)
			}
			req.changes = append(req.changes, c)
		}
	}
	if !req.hasKey && !hasFile {
		return metadataRequest{}, "JSON input is missing either file or key"
	}
	return req, ""
}
