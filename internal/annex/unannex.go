package annex

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
)

// UnannexOptions select the files `git annex unannex` works on.
type UnannexOptions struct {
	// Inputs are paths relative to the top; none means the whole tree.
	Inputs []string
	// Fast hard-links locked files to their objects instead of copying.
	Fast bool
}

// Unannex turns annexed files back into ordinary files that git does not
// track yet, as git-annex 10.20230126 does: the work tree gets the content
// (a copy, or a hard link with opts.Fast), the index entry is removed (the
// file shows as deleted and untracked until the user `git add`s it), and
// the object stays in the annex. Files whose content is absent are skipped
// silently. It reports whether the index changed.
func (r *Repo) Unannex(ctx context.Context, opts UnannexOptions, emit func(FileResult)) (bool, error) {
	u := r.newUnannexer(opts.Fast, false)
	err := r.Files(ctx, FilesOptions{Inputs: opts.Inputs}, func(f AnnexedFile, ferr error) error {
		if ferr != nil {
			emit(FileResult{File: f.Path, Input: f.Input, Err: ferr})
			return nil
		}
		res, ok := u.one(ctx, f, false)
		if ok {
			emit(res)
		}
		return ctx.Err()
	})
	if err != nil {
		return len(u.removed) > 0, err
	}
	return len(u.removed) > 0, u.unstage(ctx)
}

// unannexer unannexes files and collects the index entries to remove.
type unannexer struct {
	r       *Repo
	fast    bool
	uninit  bool
	ic      *inodeCache
	removed []string
}

func (r *Repo) newUnannexer(fast, uninit bool) *unannexer {
	return &unannexer{r: r, fast: fast, uninit: uninit, ic: r.newInodeCache()}
}

// one unannexes f. last is set (by uninit) when f is the last file using
// its key, whose object may then leave the annex. ok is false when the
// file was skipped.
func (u *unannexer) one(ctx context.Context, f AnnexedFile, last bool) (FileResult, bool) {
	res := FileResult{File: f.Path, Input: f.Input, Key: f.Key}
	obj, present, err := u.r.objects.Find(f.Key)
	if err != nil {
		res.Err = err
		return res, true
	}
	abs := u.r.paths.Abs(f.Path)
	fi, lerr := os.Lstat(abs)
	if !present && (lerr != nil || !f.Unlocked || isPointerFile(abs, fi, f.Key)) {
		return res, false // nothing to give the user: leave it annexed
	}
	switch {
	case lerr != nil:
		res.Err = fmt.Errorf("unannex %s: %w", f.Path, lerr)
		return res, true
	case fi.Mode()&fs.ModeSymlink != 0 || isPointerFile(abs, fi, f.Key):
		res.Err = u.extract(ctx, f, obj, last)
	case u.uninit && last && present:
		// An unlocked file: the work tree has the content already. Its
		// object can go once the file is known to hold exactly that content.
		same, err := u.r.unmodified(ctx, u.ic, abs, f.Key)
		if err == nil && same {
			err = u.drop(ctx, f.Key)
		}
		res.Err = err
	}
	if res.Err == nil {
		u.removed = append(u.removed, f.Path)
	}
	return res, true
}

// extract replaces the link or pointer file at f.Path with the content of
// the object at obj. When last (uninit) the object is moved out of the
// annex instead of copied.
func (u *unannexer) extract(ctx context.Context, f AnnexedFile, obj string, last bool) error {
	abs := u.r.paths.Abs(f.Path)
	tmp := filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".trove-unannex")
	_ = os.Remove(tmp)
	perm := fs.FileMode(0o644)
	ofi, err := os.Stat(obj)
	if err != nil {
		return fmt.Errorf("unannex %s: %w", f.Path, err)
	}
	if ofi.Mode()&0o100 != 0 {
		perm = 0o755
	}
	moved := false
	if last || u.fast {
		moved = os.Link(obj, tmp) == nil
	}
	if !moved {
		if err := u.r.materializeCopy(ctx, obj, tmp, perm); err != nil {
			return fmt.Errorf("unannex %s: %w", f.Path, err)
		}
	}
	if err := os.Rename(tmp, abs); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("unannex %s: %w", f.Path, err)
	}
	if moved && last {
		// The work tree file now holds the only link to the content.
		if err := u.drop(ctx, f.Key); err != nil {
			return err
		}
		if err := os.Chmod(abs, perm); err != nil {
			return fmt.Errorf("unannex %s: %w", f.Path, err)
		}
	}
	return nil
}

// drop removes k's object and records that this repository lost it.
func (u *unannexer) drop(ctx context.Context, k key.Key) error {
	if err := u.r.objects.Drop(ctx, k); err != nil {
		return err
	}
	return u.r.logLocation(ctx, k, u.r.here, logs.Missing)
}

// unstage removes the unannexed files from the index in one update-index.
func (u *unannexer) unstage(ctx context.Context) error {
	if len(u.removed) == 0 {
		return nil
	}
	var in bytes.Buffer
	for _, p := range u.removed {
		in.WriteString(p)
		in.WriteByte(0)
	}
	if _, err := u.r.git.NoFilter().RunInput(ctx, &in, "update-index", "--force-remove", "-z", "--stdin"); err != nil {
		return fmt.Errorf("unannex: remove %d files from the index: %w", len(u.removed), err)
	}
	u.removed = nil
	return nil
}
