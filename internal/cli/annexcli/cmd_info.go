package annexcli

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
	"github.com/troveproject/trove/internal/units"
)

// infoOptions are the flags of `git annex info`.
type infoOptions struct {
	bytes bool
	batch batchOptions
}

func newInfoCommand(g *invocation.Globals) *cobra.Command {
	var o infoOptions
	c := &cobra.Command{
		Use:   "info [PATH|REMOTE|UUID ...]",
		Short: "information about an item or the repository",
		RunE: func(cmd *cobra.Command, args []string) error {
			return withBufferedStdout(g, o.batch.enabled, func(g *invocation.Globals) error {
				return runInfo(cmd.Context(), g, o, args)
			})
		},
	}
	c.Flags().BoolVar(&o.bytes, "bytes", false, "display file sizes in bytes")
	addJSONFlags(c, g, false)
	addBatchFlags(c, &o.batch)
	return c
}

// infoField is one "name: value" line of info, with its JSON value.
type infoField struct {
	name  string
	human string
	json  any
}

// infoReport prints info's fields: as lines in human mode, as one result
// object with --json.
type infoReport struct {
	s      *session
	a      ui.Action
	fields []infoField
}

func (r *infoReport) add(name, human string, json any) {
	r.fields = append(r.fields, infoField{name, human, json})
}

func (r *infoReport) end() {
	if r.s.g.JSON {
		t := r.s.out.Begin(r.a)
		obj := ui.Object{}
		for _, f := range r.fields {
			obj[f.name] = f.json
		}
		t.End(true, obj)
		return
	}
	for _, f := range r.fields {
		r.s.out.Record(ui.Record{Human: f.name + ": " + f.human})
	}
}

func runInfo(ctx context.Context, g *invocation.Globals, o infoOptions, args []string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	size := func(n int64) string {
		if o.bytes {
			return strconv.FormatInt(n, 10)
		}
		return units.LongSize(n)
	}
	if o.batch.enabled {
		return s.finish(ctx, o.batch.each(g, func(line string) error { return s.infoItem(ctx, line, size) }))
	}
	if len(args) == 0 {
		return s.finish(ctx, s.repoInfo(ctx, size))
	}
	for _, a := range args {
		if err := s.infoItem(ctx, a, size); err != nil {
			return s.finish(ctx, err)
		}
	}
	return s.finish(ctx, nil)
}

func (s *session) repoInfo(ctx context.Context, size func(int64) string) error {
	info, err := s.repo.RepoInfo(ctx, s.g.Fast)
	if err != nil {
		return err
	}
	r := &infoReport{s: s, a: ui.Action{Command: "info"}}
	for _, l := range []struct {
		name string
		cs   []annex.Copy
	}{{"trusted", info.Trusted}, {"semitrusted", info.SemiTrusted}, {"untrusted", info.UnTrusted}} {
		human := strconv.Itoa(len(l.cs))
		if len(l.cs) > 0 {
			human += "\n" + strings.TrimSuffix(copyLines(l.cs), "\n")
		}
		objs := make([]ui.Object, len(l.cs))
		for i, c := range l.cs {
			objs[i] = ui.Object{"uuid": string(c.UUID), "description": c.Description, "here": c.Here}
		}
		r.add(l.name+" repositories", human, objs)
	}
	r.add("transfers in progress", "none", []ui.Object{})
	if info.DiskFree >= 0 {
		free := max(0, info.DiskFree-info.DiskReserve)
		var disk string
		if size(0) == "0" {
			disk = fmt.Sprintf("%d (+%d reserved)", free, info.DiskReserve)
		} else {
			disk = fmt.Sprintf("%s (+%s reserved)", units.LongSize(free), units.LongSize(info.DiskReserve))
		}
		r.add("available local disk space", disk, disk)
	}
	if !s.g.Fast {
		r.add("local annex keys", strconv.Itoa(info.LocalKeys), info.LocalKeys)
		r.add("local annex size", size(info.LocalSize), size(info.LocalSize))
		r.add("annexed files in working tree", strconv.Itoa(info.Files), info.Files)
		ws := size(info.FilesSize)
		if info.FilesUnknown > 0 {
			ws += fmt.Sprintf(" (+ %d unknown size)", info.FilesUnknown)
		}
		r.add("size of annexed files in working tree", ws, ws)
		bloom := fmt.Sprintf("32 mebibytes (%s%% full)", units.ShowImprecise(0, float64(info.LocalKeys)*100/500000))
		r.add("bloom filter size", bloom, bloom)
		names := make([]string, 0, len(info.Backends))
		for b := range info.Backends {
			names = append(names, b)
		}
		slices.SortFunc(names, func(a, b string) int {
			if d := info.Backends[b] - info.Backends[a]; d != 0 {
				return d
			}
			return strings.Compare(a, b)
		})
		lines := make([]string, len(names))
		for i, b := range names {
			lines[i] = fmt.Sprintf("\n\t%s: %d", b, info.Backends[b])
		}
		r.add("backend usage", strings.Join(lines, ""), info.Backends)
	}
	r.end()
	return nil
}

// infoItem reports on one argument: an annexed file, or a repository
// named as git-annex names them. Anything else is a failed item.
func (s *session) infoItem(ctx context.Context, arg string, size func(int64) string) error {
	if p, err := s.repo.Paths().ToRepo(arg); err == nil {
		fi, serr := os.Lstat(s.repo.Paths().Abs(p))
		if serr == nil && !fi.IsDir() {
			info, ok, err := s.repo.FileInfo(ctx, p)
			if err != nil {
				return err
			}
			if ok {
				r := &infoReport{s: s, a: ui.Action{Command: "info " + arg, File: s.repo.Paths().ToUser(p), Input: []string{arg}, Key: info.Key.String()}}
				sz := "unknown"
				if info.Key.HasSize {
					sz = size(info.Key.Size)
				}
				if !s.g.JSON {
					r.add("file", r.a.File, nil)
				}
				r.add("size", sz, sz)
				if !s.g.JSON {
					r.add("key", r.a.Key, nil)
				}
				r.add("present", strconv.FormatBool(info.Present), info.Present)
				r.end()
				return nil
			}
		}
	}
	if u, err := s.repo.FindRepo(ctx, arg); err == nil {
		info, err := s.repo.RepoUUIDInfo(ctx, u)
		if err != nil {
			return err
		}
		name := string(u)
		if info.RemoteName != "" {
			name = info.RemoteName
		}
		r := &infoReport{s: s, a: ui.Action{Command: "info " + name, Input: []string{arg}}}
		r.add("uuid", string(u), string(u))
		desc := infoDescription(info.Description, info.Repo.Here)
		r.add("description", desc, desc)
		r.add("trust", info.Repo.Trust.String(), info.Repo.Trust.String())
		if info.RemoteName != "" {
			r.add("remote", info.RemoteName, info.RemoteName)
			cost := strconv.FormatFloat(info.Cost, 'f', -1, 64)
			if !strings.Contains(cost, ".") {
				cost += ".0"
			}
			r.add("cost", cost, cost)
			if info.Type != "" {
				r.add("type", info.Type, info.Type)
			}
			for _, f := range info.Fields {
				r.add(f.Name, f.Value, f.Value)
			}
		}
		if !s.g.Fast {
			r.add("remote annex keys", strconv.Itoa(info.Keys), info.Keys)
			r.add("remote annex size", size(info.Size), size(info.Size))
		}
		r.end()
		return nil
	}
	// git-annex reports the item as failed but does not count it in its
	// exit status, so this is a record rather than a failed action.
	const note = "not a directory or an annexed file or a treeish or a remote or a uuid"
	s.out.Record(ui.Record{
		Fields: ui.Object{"command": "info", "file": arg, "input": []string{arg}, "note": note, "success": false},
		Human:  "info " + arg + " (" + note + ") failed",
	})
	return nil
}

// infoDescription is the "description" git-annex's info shows for a
// repository labelled label: this repository's as "label [here]", or as
// "[here]" alone when it is undescribed or described as "here" (unlike
// whereis's lists, which show an undescribed one as "here").
func infoDescription(label string, here bool) string {
	switch {
	case !here:
		return label
	case label == "" || label == "here":
		return "[here]"
	}
	return label + " [here]"
}
