package annex

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/export"
	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// ExportOptions are the settings of Export.
type ExportOptions struct {
	// Treeish names the tree to export (a branch, tag, commit or tree).
	Treeish string
	// To is the name of the remote (configured with exporttree=yes).
	To string
	// Tracking also sets remote.<To>.annex-tracking-branch to Treeish,
	// so that sync keeps the remote up to date.
	Tracking bool
}

// Kinds of ExportEvent, as git-annex names its actions.
const (
	ExportUpload = "export"
	ExportRemove = "unexport"
	ExportRename = "rename"
)

// ExportEvent is one step of an export, reported when done.
type ExportEvent struct {
	// Kind is ExportUpload, ExportRemove or ExportRename.
	Kind string
	// Remote is the export remote's name.
	Remote string
	// File is the location uploaded or removed (the source of a rename).
	File string
	// To is where a rename moved the file.
	To  string
	Key key.Key
	// Err is why the step failed, nil on success.
	Err error
}

// ErrNotExportRemote is wrapped when Export is asked of a remote that is
// not configured with exporttree=yes or whose type cannot export.
var ErrNotExportRemote = errors.New("not an export remote")

// Export makes the remote opts.To hold exactly the files of opts.Treeish
// under their paths, as git-annex's export: export.log records the
// export's beginning, files that left their place are renamed (through
// temporary names) or removed, export.log records the new tree, then
// missing files are uploaded; each step is reported to each, in that
// order, and their failures do not stop the others. Annexed files are
// uploaded from the local annex (absent content fails that file); files
// stored in git are uploaded from their blob under GIT-- keys. Location
// logs record the remote having or no longer having each annexed key.
// The returned error is for what stops the whole export (unknown remote,
// bad tree, a path escaping the export root); the caller commits the
// branch.
func (r *Repo) Export(ctx context.Context, opts ExportOptions, each func(ExportEvent)) error {
	rm, err := r.Remote(ctx, opts.To)
	if err != nil {
		return err
	}
	sr, er, ok := exportRemoteOf(rm)
	if !ok {
		return fmt.Errorf("%s is not configured for exports (initremote it with exporttree=yes, or use `git annex copy --to %s`): %w", opts.To, opts.To, ErrNotExportRemote)
	}
	if sr.readOnly {
		return sr.readOnlyError()
	}
	tree, err := r.resolveTree(ctx, opts.Treeish)
	if err != nil {
		return err
	}
	// The new tree is often among the old ones too (an export again, or
	// the retry of an interrupted one): each tree is listed once.
	trees := &treeListing{r: r}
	newFiles, err := trees.files(ctx, tree)
	if err != nil {
		return err
	}
	cur, incomplete, err := r.exportedTrees(ctx, er.uuid)
	if err != nil {
		return err
	}
	oldFiles, err := trees.oldExportFiles(ctx, cur, incomplete)
	if err != nil {
		return err
	}
	if opts.Tracking {
		if err := r.git.ConfigSet(ctx, "remote."+opts.To+".annex-tracking-branch", opts.Treeish); err != nil {
			return err
		}
	}
	plan := export.Diff(oldFiles, newFiles, func(k key.Key) bool { return r.exportHas(ctx, er, k) })
	old := emptyTree
	if len(cur) > 0 {
		old = cur[0]
	}
	if err := r.recordExportBeginning(ctx, er.uuid, old, tree); err != nil {
		return err
	}
	x := exporter{r: r, er: er, each: each, wanted: map[string]bool{}}
	for _, f := range newFiles {
		x.wanted[f.Key.String()] = true
	}
	reupload := x.run(ctx, plan)
	if err := r.recordExportUnderway(ctx, er.uuid, cur, tree); err != nil {
		return err
	}
	uploads := append(slices.Clone(plan.Uploads), reupload...)
	slices.SortStableFunc(uploads, func(a, b export.File) int { return strings.Compare(a.Loc.String(), b.Loc.String()) })
	return x.upload(ctx, uploads)
}

// oldExportFiles are the files of the trees the remote holds, then those
// of interrupted exports to it not already listed.
func (r *Repo) oldExportFiles(ctx context.Context, cur, incomplete []string) ([]export.File, error) {
	return (&treeListing{r: r}).oldExportFiles(ctx, cur, incomplete)
}

// treeListing lists the files of trees (treeFiles) for one command, each
// tree once: a tree object never changes. Not safe for concurrent use.
type treeListing struct {
	r      *Repo
	listed map[string][]export.File
}

// files returns the files of tree, listing it when it was not before.
func (l *treeListing) files(ctx context.Context, tree string) ([]export.File, error) {
	if files, ok := l.listed[tree]; ok {
		return files, nil
	}
	files, err := l.r.treeFiles(ctx, tree)
	if err != nil {
		return nil, err
	}
	if l.listed == nil {
		l.listed = map[string][]export.File{}
	}
	l.listed[tree] = files
	return files, nil
}

// oldExportFiles is Repo.oldExportFiles through the listing.
func (l *treeListing) oldExportFiles(ctx context.Context, cur, incomplete []string) ([]export.File, error) {
	seen := map[string]bool{}
	var out []export.File
	for _, t := range append(cur, incomplete...) {
		files, err := l.files(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("read the tree recorded as exported (%s): %w", t, err)
		}
		for _, f := range files {
			if !seen[f.Loc.String()] {
				seen[f.Loc.String()] = true
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// exportHas reports whether the location log says the export remote has
// k; files stored in git have no location log and are taken to be there.
func (r *Repo) exportHas(ctx context.Context, er *exportRemote, k key.Key) bool {
	if isGitBlobKey(k) {
		return true
	}
	us, err := r.Locations(ctx, k)
	if err != nil {
		return false
	}
	for _, u := range us {
		if u == er.uuid {
			return true
		}
	}
	return false
}

// exporter carries out an export plan.
type exporter struct {
	r      *Repo
	er     *exportRemote
	each   func(ExportEvent)
	wanted map[string]bool // keys of the new tree
	blobs  *gitcmd.CatFile
}

func (x *exporter) report(kind string, loc remote.ExportLocation, to string, k key.Key, err error) {
	x.each(ExportEvent{Kind: kind, Remote: x.er.name, File: loc.String(), To: to, Key: k, Err: err})
}

// run does the renames and removals of p, then removes the directories
// the new tree no longer has. A remote that cannot rename has the file
// removed instead of moved to its temporary name (reported as the
// rename, as git-annex does); the files the renames from that name would
// have made are returned, to be uploaded.
func (x *exporter) run(ctx context.Context, p export.Plan) (reupload []export.File) {
	failedTemp := map[string]bool{}
	removedTemp := map[string]bool{}
	for _, v := range p.Vacate {
		if v.ToTemp {
			rn := export.Rename{Key: v.Key, From: v.Loc, To: remote.TempExportLocation(v.Key)}
			ok, err := x.er.exp.RenameExport(ctx, rn.Key, rn.From, rn.To)
			if err == nil && !ok {
				err = x.remove(ctx, v.File)
				removedTemp[rn.Key.String()] = err == nil
			}
			if err != nil {
				failedTemp[rn.Key.String()] = true
			}
			x.report(ExportRename, rn.From, rn.To.String(), rn.Key, err)
			continue
		}
		x.report(ExportRemove, v.Loc, "", v.Key, x.remove(ctx, v.File))
	}
	for _, rn := range p.FromTemp {
		switch {
		case removedTemp[rn.Key.String()]:
			reupload = append(reupload, export.File{Loc: rn.To, Key: rn.Key})
		case !failedTemp[rn.Key.String()]:
			x.report(ExportRename, rn.From, rn.To.String(), rn.Key, x.rename(ctx, rn))
		}
	}
	for _, d := range p.Dirs {
		_ = x.er.exp.RemoveExportDirectory(ctx, d) // a directory left behind is harmless
	}
	return reupload
}

// remove deletes f from the remote; the location log loses the remote
// for f's key when the new tree does not have the key, unless the remote
// keeps old versions.
func (x *exporter) remove(ctx context.Context, f export.File) error {
	err := x.er.exp.RemoveExport(ctx, f.Key, f.Loc)
	if err == nil && !isGitBlobKey(f.Key) && !x.wanted[f.Key.String()] && !x.er.versioned() {
		x.r.deferLocation(f.Key, x.er.uuid, logs.Missing)
	}
	return err
}

// rename moves a file on the remote, or, when the remote cannot rename,
// fails so that the file is uploaded again by a later export.
func (x *exporter) rename(ctx context.Context, rn export.Rename) error {
	ok, err := x.er.exp.RenameExport(ctx, rn.Key, rn.From, rn.To)
	if err == nil && !ok {
		err = fmt.Errorf("%s cannot rename files: %w", x.er.name, remote.ErrUnsupported)
	}
	return err
}

// upload stores each file, reporting each.
func (x *exporter) upload(ctx context.Context, files []export.File) error {
	defer func() {
		if x.blobs != nil {
			_ = x.blobs.Close()
		}
	}()
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := x.uploadOne(ctx, f)
		if err == nil && !isGitBlobKey(f.Key) {
			x.r.logPresentAt(f.Key, x.er.uuid)
		}
		x.report(ExportUpload, f.Loc, "", f.Key, err)
	}
	return nil
}

// uploadOne stores f's content: the local object of an annexed key, or a
// temporary file holding a git blob.
func (x *exporter) uploadOne(ctx context.Context, f export.File) error {
	if isGitBlobKey(f.Key) {
		return x.uploadBlob(ctx, f)
	}
	path, ok, err := x.r.objects.Find(f.Key)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("content of %s is not available here (get it first with `git annex get %s`)", f.Loc, f.Loc)
	}
	return x.er.exp.StoreExport(ctx, remote.Source{Path: path, Size: -1, File: f.Loc.String()}, f.Key, f.Loc, progress.Discard)
}

func (x *exporter) uploadBlob(ctx context.Context, f export.File) error {
	if x.blobs == nil {
		c, err := x.r.git.NewCatFile(context.WithoutCancel(ctx))
		if err != nil {
			return err
		}
		x.blobs = c
	}
	obj, ok, err := x.blobs.Read(ctx, f.Key.Name)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("git blob %s of %s is missing from the repository (run `git fsck`)", f.Key.Name, f.Loc)
	}
	dir := filepath.Join(annexDir(x.r.git), "tmp")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("export %s: %w", f.Loc, err)
	}
	tmp, err := os.CreateTemp(dir, "export-blob-")
	if err != nil {
		return fmt.Errorf("export %s: %w", f.Loc, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(obj.Data); err != nil {
		tmp.Close()
		return fmt.Errorf("export %s: %w", f.Loc, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export %s: %w", f.Loc, err)
	}
	return x.er.exp.StoreExport(ctx, remote.Source{Path: tmp.Name(), Size: -1, File: f.Loc.String()}, f.Key, f.Loc, progress.Discard)
}
