package annex

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/pointer"
)

// LockOptions select the files `git annex lock` works on.
type LockOptions struct {
	// Inputs are paths relative to the top; none means the whole tree.
	Inputs []string
	// Force locks modified files too, discarding their changes.
	Force bool
}

// ErrWouldDiscard is wrapped by the error Lock reports for an unlocked
// file whose content was changed since it was added.
var ErrWouldDiscard = errors.New( //nolint:staticcheck // git-annex's exact message
	"Locking this file would discard any changes you have made to it. Use 'git annex add' to stage your changes. (Or, use --force to override)")

// Lock turns each unlocked file under opts.Inputs back into a symlink to its
// object, staging all the symlinks in one update-index. A file whose
// content changed since it was added is refused with ErrWouldDiscard
// unless opts.Force; unchanged content missing from the object store (the
// work tree held the only copy) is ingested first, so locking never loses
// content unless forced. Files already locked are skipped silently. It
// reports whether the index changed.
func (r *Repo) Lock(ctx context.Context, opts LockOptions, emit func(FileResult)) (bool, error) {
	st, err := r.newStager(ctx)
	if err != nil {
		return false, err
	}
	defer st.close()
	ic := r.newInodeCache()
	staged := false
	err = r.Files(ctx, FilesOptions{Inputs: opts.Inputs}, func(f AnnexedFile, ferr error) error {
		if ferr != nil {
			emit(FileResult{File: f.Path, Input: f.Input, Err: ferr})
			return nil
		}
		if !f.Unlocked {
			return nil
		}
		res := FileResult{File: f.Path, Input: f.Input, Key: f.Key}
		res.Err = r.lockOne(ctx, f.Path, f.Key, opts.Force, ic)
		if res.Err == nil {
			res.Err = st.addPath(f.Path)
			staged = true
		}
		emit(res)
		return ctx.Err()
	})
	if err != nil {
		return staged, err
	}
	return staged, st.flush(ctx)
}

// lockOne replaces the unlocked file at path with a symlink to k.
func (r *Repo) lockOne(ctx context.Context, path string, k key.Key, force bool, ic *inodeCache) error {
	abs := r.paths.Abs(path)
	fi, err := os.Lstat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return r.writeLink(path, k) // deleted in the work tree: restore as locked
	case err != nil:
		return fmt.Errorf("lock %s: %w", path, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return r.writeLink(path, k)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("lock %s: not a regular file", path)
	}
	if isPointerFile(abs, fi, k) {
		return r.writeLink(path, k)
	}
	obj, present, err := r.objects.Find(k)
	if err != nil {
		return fmt.Errorf("lock %s: %w", path, err)
	}
	shared, _ := fsutil.ParseShared(r.cfg.SharedRepository)
	if present {
		if ofi, err := os.Stat(obj); err == nil && os.SameFile(fi, ofi) {
			// annex.thin: the work tree file is the object. Check that it was
			// not written to, then freeze it again.
			if err := r.objects.Verify(ctx, k, false); err != nil && !force {
				return fmt.Errorf("lock %s: %w", path, ErrWouldDiscard)
			}
			if err := fsutil.FreezeFile(obj, shared); err != nil {
				return fmt.Errorf("lock %s: %w", path, err)
			}
			return r.writeLink(path, k)
		}
	}
	same, err := r.unmodified(ctx, ic, abs, k)
	if err != nil {
		return fmt.Errorf("lock %s: %w", path, err)
	}
	if !same && !force {
		return fmt.Errorf("lock %s: %w", path, ErrWouldDiscard)
	}
	if same && !present {
		f, err := os.Open(abs)
		if err != nil {
			return fmt.Errorf("lock %s: %w", path, err)
		}
		err = r.objects.IngestKnown(ctx, k, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("lock %s: keep its content: %w", path, err)
		}
		if err := r.logPresent(ctx, k); err != nil {
			return err
		}
	}
	return r.writeLink(path, k)
}

// isPointerFile reports whether the regular file at abs is the pointer
// file of k (an unlocked file whose content is not present).
func isPointerFile(abs string, fi fs.FileInfo, k key.Key) bool {
	if fi.Size() > pointer.MaxSize {
		return false
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return false
	}
	pk, ok := pointer.Parse(data)
	return ok && pk == k
}
