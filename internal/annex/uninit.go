package annex

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/troveproject/trove/internal/key"
)

// ErrNotFullyUninitialized is returned by Uninit when content is left in
// the object store after every annexed file was restored: content used
// only by history, or by unlocked files that were modified. Nothing was
// deleted; the message says what the user can do.
var ErrNotFullyUninitialized = errors.New( //nolint:staticcheck // git-annex's exact message
	`Not fully uninitialized
Some annexed data is still left in .git/annex/objects/
This may include deleted files, or old versions of modified files.

If you don't care about preserving the data, just delete the
directory.

Or, you can move it to another location, in case it turns out
something in there is important.

Or, you can run ` + "`git annex unused`" + ` followed by ` + "`git annex dropunused`" + `
to remove data that is not used by any tag or branch, which might
take care of all the data.

Then run ` + "`git annex uninit`" + ` again to finish.`)

// UninitReport tells the command line what Uninit did besides unannexing.
type UninitReport struct {
	// Staged is set when the index changed (files were unannexed).
	Staged bool
	// KeptHooks are the hooks left in place because the user changed them.
	KeptHooks []string
	// DeletedBranch is git's report of deleting the git-annex branch.
	DeletedBranch string
}

// uninitHooks is the order in which uninit removes the hooks init wrote.
var uninitHooks = []string{"pre-commit", "post-receive", "post-checkout", "post-merge"}

// Uninit de-initialises the repository as `git annex uninit` does: every
// annexed file whose content is present becomes an ordinary untracked file
// (objects move out of the annex when no other file uses them); then, if
// the object store is empty, the hooks init installed are removed (unless
// modified), the filter is deconfigured (filter.annex.* and the
// "* filter=annex" line of .git/info/attributes), annex.uuid and
// annex.version are unset, .git/annex is deleted and the git-annex branch
// is deleted. When content remains it stops before any of that with
// ErrNotFullyUninitialized; running it again later is safe.
//
// Unlike git-annex 10.20230126, the object of an unlocked file is removed
// too once the work tree file is verified to hold the same content, so a
// repository with unlocked files can be fully uninitialised.
//
// The Repo must not be used afterwards except to Close it.
func (r *Repo) Uninit(ctx context.Context, emit func(FileResult)) (UninitReport, error) {
	var rep UninitReport
	if r.git.Top == "" {
		return rep, errors.New("uninit: this is a bare repository; there is no work tree to restore files into")
	}
	if head, err := r.git.Run(ctx, "symbolic-ref", "-q", "HEAD"); err == nil && strings.TrimSpace(string(head)) == "refs/heads/git-annex" {
		return rep, errors.New("cannot uninit when the git-annex branch is checked out: check out another branch first")
	}
	var files []AnnexedFile
	uses := map[key.Key]int{}
	err := r.Files(ctx, FilesOptions{}, func(f AnnexedFile, err error) error {
		if err == nil {
			files = append(files, f)
			uses[f.Key]++
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	u := r.newUnannexer(false, true)
	for _, f := range files {
		uses[f.Key]--
		res, ok := u.one(ctx, f, uses[f.Key] == 0)
		if ok {
			emit(res)
		}
		if err := ctx.Err(); err != nil {
			return rep, err
		}
	}
	rep.Staged = len(u.removed) > 0
	if err := u.unstage(ctx); err != nil {
		return rep, err
	}
	if _, err := r.Commit(ctx); err != nil {
		return rep, err
	}
	for _, err := range r.objects.Keys(ctx) {
		if err != nil {
			return rep, err
		}
		return rep, ErrNotFullyUninitialized
	}
	rep.KeptHooks, err = r.removeHooks()
	if err != nil {
		return rep, err
	}
	if err := r.deconfigure(ctx); err != nil {
		return rep, err
	}
	if err := removeTree(annexDir(r.git)); err != nil {
		return rep, err
	}
	if _, err := r.git.RevParse(ctx, "refs/heads/git-annex"); err == nil {
		out, err := r.git.Run(ctx, "branch", "-D", "git-annex")
		if err != nil {
			return rep, fmt.Errorf("uninit: delete the git-annex branch: %w", err)
		}
		rep.DeletedBranch = strings.TrimSpace(string(out))
	}
	return rep, nil
}

// removeHooks deletes the hooks init installed, keeping (and naming) the
// ones whose content differs from what init wrote.
func (r *Repo) removeHooks() ([]string, error) {
	var kept []string
	for _, name := range uninitHooks {
		path := filepath.Join(r.git.CommonDir, "hooks", name)
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return kept, fmt.Errorf("uninit: read hook %s: %w", path, err)
		}
		if string(data) != hookHeader+hookScripts[name]+"\n" {
			kept = append(kept, name)
			continue
		}
		if err := os.Remove(path); err != nil {
			return kept, fmt.Errorf("uninit: remove hook %s: %w", path, err)
		}
	}
	return kept, nil
}

// deconfigure removes the filter configuration and the annex settings.
func (r *Repo) deconfigure(ctx context.Context) error {
	for _, name := range []string{"filter.annex.smudge", "filter.annex.clean", "filter.annex.process", "annex.uuid", "annex.version"} {
		if err := r.git.ConfigUnset(ctx, name); err != nil {
			return fmt.Errorf("uninit: unset %s: %w", name, err)
		}
	}
	attrs := filepath.Join(r.git.CommonDir, "info", "attributes")
	data, err := os.ReadFile(attrs)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("uninit: read %s: %w", attrs, err)
	}
	if err := os.WriteFile(attrs, withoutFilterLine(data), 0o644); err != nil {
		return fmt.Errorf("uninit: write %s: %w", attrs, err)
	}
	return nil
}

// withoutFilterLine drops the "* filter=annex" line init added, and empty
// lines, from an attributes file, as git-annex's uninit does.
func withoutFilterLine(data []byte) []byte {
	var out bytes.Buffer
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(l) == 0 || string(l) == "* filter=annex" {
			continue
		}
		out.Write(l)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// removeTree deletes dir, first making its frozen directories writable.
func removeTree(dir string) error {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(p, 0o755)
		}
		return nil
	})
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("uninit: delete %s: %w", dir, err)
	}
	return nil
}
