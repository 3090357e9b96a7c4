package annexcli

import (
	"context"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

// urlCommands are the commands about content on the web.
func urlCommands(g *invocation.Globals) []*cobra.Command {
	return []*cobra.Command{
		newAddURLCommand(g),
		newRegisterURLCommand(g),
		newUnregisterURLCommand(g),
		newRmURLCommand(g),
	}
}

// addURLOptions are the flags of `git annex addurl`.
type addURLOptions struct {
	annex.AddURLOptions
	pathDepth int
	withFiles bool
	batch     batchOptions
}

func newAddURLCommand(g *invocation.Globals) *cobra.Command {
	var o addURLOptions
	c := &cobra.Command{
		Use:   "addurl URL ...",
		Short: "add urls to annex",
		RunE: func(cmd *cobra.Command, args []string) error {
			o.HasPathDepth = cmd.Flags().Changed("pathdepth")
			o.PathDepth = o.pathDepth
			o.Fast = g.Fast
			return runAddURL(cmd.Context(), g, o, args)
		},
	}
	f := c.Flags()
	f.StringVar(&o.File, "file", "", "specify what file the url is added to")
	f.IntVar(&o.pathDepth, "pathdepth", 0, "number of url path components to use in filename")
	f.StringVar(&o.Prefix, "prefix", "", "add a prefix to the filename")
	f.StringVar(&o.Suffix, "suffix", "", "add a suffix to the filename")
	f.BoolVar(&o.Relaxed, "relaxed", false, "skip size check")
	f.BoolVar(&o.Raw, "raw", false, "disable special handling for torrents, youtube-dl, etc")
	f.Bool("no-raw", false, "prevent downloading raw url content, must use special handling")
	f.Bool("preserve-filename", false, "use filename provided by server as-is")
	f.Bool("no-check-gitignore", false, "do not check .gitignore when adding files")
	f.BoolVar(&o.withFiles, "with-files", false, "parse batch mode lines of the form \"$url $file\"")
	f.StringVarP(&g.Backend, "backend", "b", "", "specify key-value backend to use")
	addJSONFlags(c, g, true)
	addJobsFlag(c, g)
	addBatchFlags(c, &o.batch)
	return c
}

func runAddURL(ctx context.Context, g *invocation.Globals, o addURLOptions, args []string) error {
	if !o.batch.enabled && len(args) == 0 {
		return invocation.Exit(1, "git-annex: addurl needs a URL, e.g. `git annex addurl https://example.com/file.dat`")
	}
	if o.HasPathDepth && o.PathDepth == 0 {
		return invocation.Exit(1, "git-annex: bad --pathdepth")
	}
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	adder, err := s.repo.NewURLAdder(ctx, g.Backend)
	if err != nil {
		return s.finish(ctx, err)
	}
	userFile := o.File
	if o.File != "" {
		if o.File, err = s.repo.Paths().ToRepo(o.File); err != nil {
			adder.Close(ctx)
			return s.finish(ctx, err)
		}
	}
	if o.batch.enabled {
		err = o.batch.each(g, func(line string) error {
			opts, uf := o.AddURLOptions, userFile
			u := line
			if o.withFiles {
				var file string
				u, file, _ = strings.Cut(line, " ")
				rp, perr := s.repo.Paths().ToRepo(file)
				if u == "" || file == "" || perr != nil {
					s.out.Warn("parsed empty url or filename in input: " + line)
					o.batch.empty(g)
					return nil
				}
				opts.File, uf = rp, file
			}
			s.addURL(ctx, adder, u, opts, uf, []string{line})
			return nil
		})
	} else {
		jobs := addJobs(g, s.repo)
		sem := make(chan struct{}, jobs)
		var wg sync.WaitGroup
		for _, u := range args {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				s.addURL(ctx, adder, u, o.AddURLOptions, userFile, []string{u})
			}()
		}
		wg.Wait()
	}
	// git-annex says "(recording state in git...)" once, for the branch.
	_, cerr := adder.Close(ctx)
	if err == nil {
		err = cerr
	}
	return s.finish(ctx, err)
}

// addURL adds one URL and reports it as git-annex does: "addurl URL
// (to FILE) ok", the file and key in JSON once known, failures as
// warnings.
func (s *session) addURL(ctx context.Context, adder *annex.URLAdder, rawURL string, o annex.AddURLOptions, userFile string, input []string) {
	t := s.out.Begin(ui.Action{Command: "addurl", Subject: rawURL, File: userFile, Input: input})
	ev := annex.AddURLEvents{
		Meter:  t,
		Remote: func(name string) { t.Note("from " + name) },
		Destination: func(file string) {
			uf := s.repo.Paths().ToUser(file)
			t.Identify(uf, "")
			t.Note("to " + uf)
		},
	}
	res, err := adder.Add(ctx, rawURL, o, ev)
	if err != nil {
		t.Warn(err.Error())
		t.End(false, nil)
		return
	}
	if !res.Key.IsZero() && !res.Existing {
		t.Identify("", res.Key.String())
	}
	if res.InGit {
		t.Note("non-large file; adding content to git repository")
	}
	t.End(true, nil)
}
