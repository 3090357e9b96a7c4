package annex

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/troveproject/trove/internal/annexbranch"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// ImportOptions are the settings of Import.
type ImportOptions struct {
	// Branch is BRANCH[:SUBDIR]: the import goes to
	// refs/remotes/<From>/BRANCH, into SUBDIR of BRANCH's tree when given.
	Branch string
	// From is the name of the special remote (configured with
	// importtree=yes).
	From string
	// NoContent reads new files only to compute their keys: nothing is
	// stored in the local annex (files that annex.largefiles keeps in git
	// are still read into git).
	NoContent bool
	// Jobs is how many files are fetched at once (at least one).
	Jobs int
}

// ImportReporter receives the steps of an import as git-annex shows them:
// "list R", one "import R FILE" per file read from the remote, then
// "update REF". Importing may be called from several goroutines at once
// (with ImportOptions.Jobs > 1); the other methods are called from the
// goroutine running Import.
type ImportReporter interface {
	// Listed reports the listing of remote (err nil on success).
	Listed(remote string, err error)
	// Importing reports that file is being read from remote; it returns
	// the meter for the transfer and the function that reports its end
	// (k is the file's key, or the GIT-- key of a file kept in git).
	Importing(remote, file string) (progress.Meter, func(k key.Key, err error))
	// Updated reports that ref now holds the import (it is reported even
	// when nothing changed, as git-annex does).
	Updated(ref string, err error)
}

// ErrNotImportRemote is wrapped when Import is asked of a remote that is
// not configured with importtree=yes or whose type cannot import.
var ErrNotImportRemote = errors.New("remote does not support imports")

// importMessage and importMergeMessage are the messages git-annex gives
// import commits and the merge commits joining them to the tracking ref.
const (
	importMessage      = "import from "
	importMergeMessage = "remote tracking branch"
)

// Import makes refs/remotes/<From>/<BRANCH> a commit of the files on the
// remote opts.From, as git-annex's `import BRANCH[:SUBDIR] --from R`:
// the remote is listed; files whose content identifiers the git-annex
// branch already maps to a key (through the *.log.cid logs of the keys of
// the trees last imported from or exported to the remote) are not read
// again; other files are downloaded (or, with NoContent, only hashed) and
// keyed with the configured backend, annexed as symlinks unless
// annex.largefiles keeps them in git. Content identifiers are recorded in
// KEY.log.cid, the location log gains the remote (and this repository,
// when the content was stored), keys no longer on the remote lose it, and
// export.log records the imported tree as the one the remote holds.
//
// The commit follows git-annex's rules: the first import is a parentless
// commit "import from R"; a later one, when the tree changed, is an import
// commit (whose parent is the previous import commit when the ref is one
// of these merges) and a merge "remote tracking branch" of the old ref and
// it. Files that fail to download are reported and left out of the tree;
// the ref is then not updated and the returned error says so. The
// returned error is also for what stops the whole import (unknown remote,
// listing failure). The caller commits the git-annex branch.
func (r *Repo) Import(ctx context.Context, opts ImportOptions, rep ImportReporter) error {
	s, imp, err := r.importRemote(ctx, opts.From)
	if err != nil {
		return err
	}
	branch, subdir, err := splitImportBranch(opts.Branch)
	if err != nil {
		return err
	}
	files, err := imp.ListImportable(ctx)
	rep.Listed(s.name, err)
	if err != nil {
		return fmt.Errorf("list the files of %s: %w", s.name, err)
	}
	slices.SortFunc(files, func(a, b remote.ImportableFile) int { return strings.Compare(a.Loc.String(), b.Loc.String()) })

	previous, err := r.previousImport(ctx, s.uuid)
	if err != nil {
		return err
	}
	lf, err := r.newLargeFiles(ctx, false, false)
	if err != nil {
		return err
	}
	defer lf.close()
	b, err := r.backendFor("")
	if err != nil {
		return err
	}
	blobs, err := r.git.NewBlobWriter(context.WithoutCancel(ctx))
	if err != nil {
		return err
	}
	defer blobs.Close()
	f := &importFetcher{r: r, s: s, imp: imp, rep: rep, lf: lf, b: b, blobs: blobs, subdir: subdir, noContent: opts.NoContent}
	imported, failed := f.fetchAll(ctx, files, previous, max(opts.Jobs, 1))
	if err := ctx.Err(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d files could not be imported from %s; refs/remotes/%s/%s not updated (run the import again)", failed, s.name, s.name, branch)
	}
	ref := "refs/remotes/" + s.name + "/" + branch
	tree, sub, err := r.importTree(ctx, blobs, ref, branch, subdir, imported)
	if err == nil {
		err = r.commitImport(ctx, ref, s.name, tree)
	}
	rep.Updated(ref, err)
	if err != nil {
		return err
	}
	return r.recordImport(ctx, s.uuid, sub, previous, imported)
}

// importRemote returns the special remote name and its Importer.
func (r *Repo) importRemote(ctx context.Context, name string) (*specialRemote, remote.Importer, error) {
	rm, err := r.Remote(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	s, ok := rm.(*specialRemote)
	var imp remote.Importer
	if ok && s.cfg["importtree"] == "yes" {
		imp, ok = s.base.(remote.Importer)
	}
	if !ok || imp == nil {
		return nil, nil, fmt.Errorf("%s does not support imports (initremote a special remote with importtree=yes exporttree=yes): %w", name, ErrNotImportRemote)
	}
	return s, imp, nil
}

// splitImportBranch splits BRANCH[:SUBDIR].
func splitImportBranch(spec string) (branch, subdir string, err error) {
	branch, subdir, _ = strings.Cut(spec, ":")
	branch = strings.TrimPrefix(branch, "refs/heads/")
	subdir = strings.Trim(subdir, "/")
	if branch == "" || strings.HasPrefix(branch, "-") {
		return "", "", fmt.Errorf("%q is not a branch to import into (give BRANCH or BRANCH:SUBDIR)", spec)
	}
	if subdir != "" {
		if _, err := remote.NewExportLocation(subdir); err != nil {
			return "", "", fmt.Errorf("import into %s: %w", spec, err)
		}
	}
	return branch, subdir, nil
}

// importedFile is a file of the imported tree.
type importedFile struct {
	loc remote.ExportLocation
	cid remote.ContentID
	key key.Key // a GIT-- key for a file kept in git
	new bool    // read from the remote by this import
}

// deferChange applies f to the branch file path at Commit, with the
// deferred location records (in order with them).
func (r *Repo) deferChange(path string, f func(old []byte) []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pending == nil {
		r.pending = annexbranch.Changes{}
	}
	r.pending.Add(path, f)
}

// recordImport records the content identifiers of the files read, the
// remote having their keys, the keys of the previous import the remote no
// longer has, and export.log's tree for the remote (sub: the imported
// tree, without SUBDIR's parents).
func (r *Repo) recordImport(ctx context.Context, u uuid.UUID, sub string, previous *priorImport, files []importedFile) error {
	now := r.now()
	have := map[string]bool{}
	for _, f := range files {
		have[f.key.String()] = true
		if !f.new {
			continue
		}
		cid := string(f.cid)
		r.deferChange(logs.KeyLogPath(f.key, r.cfg.BranchHash1, logs.ContentIDExt), func(old []byte) []byte {
			var cids []string
			if e, ok := logs.ParseContentIDLog(old)[u]; ok {
				cids = e.Value
			}
			if slices.Contains(cids, cid) {
				return old
			}
			return logs.SetContentIDs(old, u, append([]string{cid}, cids...), now)
		})
		if !isGitBlobKey(f.key) {
			r.logPresentAt(f.key, u)
		}
	}
	if previous.hereTree != sub {
		p := logs.ExportParticipants{From: r.here, To: u}
		if err := r.changeBranch(ctx, exportLogPath, func(b []byte) []byte {
			return logs.SetExport(b, p, logs.Exported{Tree: sub}, now)
		}); err != nil {
			return err
		}
	}
	for _, k := range previous.keys {
		if !have[k.String()] && !isGitBlobKey(k) {
			r.deferLocation(k, u, logs.Missing)
		}
	}
	return nil
}

// importCounter counts failed files of concurrent fetches.
type importCounter struct {
	mu     sync.Mutex
	failed int
}

func (c *importCounter) fail() {
	c.mu.Lock()
	c.failed++
	c.mu.Unlock()
}
