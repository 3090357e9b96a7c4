package annex

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/pointer"
)

// PopulateUnlocked writes the content of every unlocked file that is still
// a pointer file in the work tree although its content is present (after a
// checkout or merge), and re-stages it so git sees it unmodified. It is
// what the post-checkout and post-merge hooks run (`smudge --update`).
func (r *Repo) PopulateUnlocked(ctx context.Context) error {
	if r.git.Top == "" {
		return nil
	}
	var done []string
	ic := r.newInodeCache()
	err := r.Files(ctx, FilesOptions{}, func(f AnnexedFile, err error) error {
		if err != nil || !f.Unlocked {
			return nil
		}
		ok, err := r.populate(ctx, f.Path, f.Key)
		if err != nil {
			return err
		}
		if ok {
			ic.record(r.paths.Abs(f.Path), f.Key)
			done = append(done, f.Path)
		}
		return nil
	})
	if err != nil || len(done) == 0 {
		return err
	}
	return r.refreshIndex(ctx, done)
}

// populate replaces the pointer file at path with k's content when the
// content is present and the file still holds the pointer. It reports
// whether it wrote the file.
func (r *Repo) populate(ctx context.Context, path string, k key.Key) (bool, error) {
	abs := r.paths.Abs(path)
	fi, err := os.Lstat(abs)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > pointer.MaxSize {
		return false, nil
	}
	head, err := os.ReadFile(abs)
	if err != nil {
		return false, nil
	}
	if pk, ok := pointer.Parse(head); !ok || pk != k {
		return false, nil
	}
	obj, present, err := r.objects.Find(k)
	if err != nil || !present {
		return false, err
	}
	tmp := filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".trove-populate")
	if r.cfg.Thin {
		_ = os.Remove(tmp)
		if err := os.Link(obj, tmp); err == nil {
			return true, os.Rename(tmp, abs)
		}
	}
	if _, err := fsutil.CopyFile(ctx, obj, tmp, io.Discard); err != nil {
		_ = os.Remove(tmp)
		return false, fmt.Errorf("populate %s: %w", path, err)
	}
	if err := os.Chmod(tmp, fi.Mode().Perm()|0o200); err != nil {
		_ = os.Remove(tmp)
		return false, fmt.Errorf("populate %s: %w", path, err)
	}
	if err := os.Rename(tmp, abs); err != nil {
		_ = os.Remove(tmp)
		return false, fmt.Errorf("populate %s: %w", path, err)
	}
	return true, nil
}

// refreshIndex makes git re-examine paths whose work tree content changed
// but whose cleaned form did not, so `git status` shows them unmodified.
// Paths go in chunks so that any number of them stays within the kernel's
// argument limit. `--refresh` exits non-zero when some path still needs
// updating, which is git's business, not a failure of ours; so the exit
// status is not reported.
func (r *Repo) refreshIndex(ctx context.Context, paths []string) error {
	const chunk = 1000
	for len(paths) > 0 {
		n := min(chunk, len(paths))
		args := append([]string{"update-index", "-q", "--refresh", "--"}, paths[:n]...)
		_, _ = r.git.Run(ctx, args...)
		paths = paths[n:]
	}
	return ctx.Err()
}
