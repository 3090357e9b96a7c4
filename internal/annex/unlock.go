package annex

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/pointer"
)

// FileResult is the outcome of a work-tree command (unlock, lock, unannex,
// fromkey) for one file.
type FileResult struct {
	File  string  // relative to the work tree top
	Input string  // the command-line input the file was found through
	Key   key.Key // zero for an input that named no annexed file
	// Err is nil on success; a *NotFoundError for an input git does not
	// know.
	Err error
}

// UnlockOptions select the files `git annex unlock` works on.
type UnlockOptions struct {
	// Inputs are paths relative to the top; none means the whole tree.
	Inputs []string
}

// Unlock replaces each locked file under opts.Inputs with an unlocked one,
// as git-annex does: a copy of the content (a hard link to it with
// annex.thin, which leaves the object writable), or the pointer file when
// the content is absent. The pointer is staged with mode 100755 when the
// object is executable, else 100644, in one update-index for all files;
// populated files are then refreshed in the index (through the clean
// filter and the inode cache) so that `git status` does not hash them
// again. Files already unlocked are skipped silently. It reports each file
// through emit and returns the first error that stops it; per-file errors
// are in the results. It reports whether the index changed.
func (r *Repo) Unlock(ctx context.Context, opts UnlockOptions, emit func(FileResult)) (bool, error) {
	st, err := r.newStager(ctx)
	if err != nil {
		return false, err
	}
	defer st.close()
	ic := r.newInodeCache()
	var populated []string
	staged := false
	err = r.Files(ctx, FilesOptions(opts), func(f AnnexedFile, ferr error) error {
		if ferr != nil {
			emit(FileResult{File: f.Path, Input: f.Input, Err: ferr})
			return nil
		}
		if f.Unlocked {
			return nil
		}
		res := FileResult{File: f.Path, Input: f.Input, Key: f.Key}
		mode, present, err := r.unlockOne(ctx, f.Path, f.Key, ic)
		if err == nil {
			err = st.addBlob(ctx, f.Path, mode, pointer.File(f.Key))
		}
		if err == nil {
			staged = true
			if present {
				populated = append(populated, f.Path)
			}
		}
		res.Err = err
		emit(res)
		return ctx.Err()
	})
	if err != nil {
		return staged, err
	}
	if err := st.flush(ctx); err != nil {
		return staged, err
	}
	return staged, r.refreshIndex(ctx, populated)
}

// unlockOne turns the symlink at path into an unlocked file and returns the
// index mode to stage and whether the content was present.
func (r *Repo) unlockOne(ctx context.Context, path string, k key.Key, ic *inodeCache) (string, bool, error) {
	abs := r.paths.Abs(path)
	fi, err := os.Lstat(abs)
	if err != nil {
		return "", false, fmt.Errorf("unlock %s: %w", path, err)
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		return "", false, fmt.Errorf("unlock %s: the work tree file is not a symlink; run `git annex fix %s` or `git annex add %s`", path, path, path)
	}
	obj, present, err := r.objects.Find(k)
	if err != nil {
		return "", false, fmt.Errorf("unlock %s: %w", path, err)
	}
	mode, perm := "100644", fs.FileMode(0o644)
	tmp := filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".trove-unlock")
	_ = os.Remove(tmp)
	if present {
		ofi, err := os.Stat(obj)
		if err != nil {
			return "", false, fmt.Errorf("unlock %s: %w", path, err)
		}
		if ofi.Mode()&0o100 != 0 {
			mode, perm = "100755", 0o755
		}
		if err := r.materialize(ctx, obj, tmp, perm); err != nil {
			return "", false, fmt.Errorf("unlock %s: %w", path, err)
		}
	} else if err := os.WriteFile(tmp, pointer.File(k), perm); err != nil {
		return "", false, fmt.Errorf("unlock %s: %w", path, err)
	}
	if err := os.Rename(tmp, abs); err != nil {
		_ = os.Remove(tmp)
		return "", false, fmt.Errorf("unlock %s: %w", path, err)
	}
	if present {
		ic.record(abs, k)
	}
	return mode, present, nil
}

// materialize writes the object at obj to dst as a work tree file: a hard
// link with annex.thin (the object is made writable, as git-annex leaves
// it), else a copy with mode perm.
func (r *Repo) materialize(ctx context.Context, obj, dst string, perm fs.FileMode) error {
	if r.cfg.Thin {
		if err := os.Link(obj, dst); err == nil {
			shared, _ := fsutil.ParseShared(r.cfg.SharedRepository)
			return fsutil.ThawFile(dst, shared)
		}
	}
	return r.materializeCopy(ctx, obj, dst, perm)
}

// materializeCopy copies the object at obj to dst and gives it mode perm.
func (r *Repo) materializeCopy(ctx context.Context, obj, dst string, perm fs.FileMode) error {
	if _, err := fsutil.CopyFile(ctx, obj, dst, io.Discard); err != nil {
		return err
	}
	if err := os.Chmod(dst, perm); err != nil {
		_ = os.Remove(dst)
		return err
	}
	return nil
}
