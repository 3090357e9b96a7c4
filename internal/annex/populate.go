package annex

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/objectstore"
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

// depopulation is what the drops of one command share to turn unlocked
// work-tree files back into pointer files: the index's unlocked files by
// key (read once, on the first drop that needs it) and the files to
// refresh in git's index when the command ends. Safe for concurrent use.
type depopulation struct {
	once     sync.Once
	unlocked map[key.Key][]string
	err      error

	mu      sync.Mutex
	inodes  *inodeCache
	restage []string
}

// unlockedFiles returns the unlocked files of the index that refer to k.
// The index is read once per command; only its regular-file entries can
// be unlocked files, so symlinks are not looked into.
func (r *Repo) unlockedFiles(ctx context.Context, k key.Key) ([]string, error) {
	d := &r.drops.depop
	d.once.Do(func() {
		d.unlocked = map[key.Key][]string{}
		d.err = r.scanUnlocked(ctx, d.unlocked)
		if d.err != nil {
			d.err = fmt.Errorf("list the unlocked files: %w", d.err)
		}
	})
	return d.unlocked[k], d.err
}

// scanUnlocked fills byKey with the index's unlocked files by key.
func (r *Repo) scanUnlocked(ctx context.Context, byKey map[key.Key][]string) error {
	if r.git.Top == "" {
		return nil
	}
	look, err := r.newKeyLookup(ctx)
	if err != nil {
		return err
	}
	defer look.close()
	for e, err := range r.git.LsFilesStage(ctx) {
		if err != nil {
			return err
		}
		if e.Stage > 1 || (e.Mode != "100644" && e.Mode != "100755") {
			continue
		}
		f, ok, err := look.lookup(ctx, e)
		if err != nil {
			return err
		}
		if ok && f.Unlocked {
			byKey[f.Key] = append(byKey[f.Key], f.Path)
		}
	}
	return nil
}

// removeContent removes the content lock holds for removal, then turns
// every unlocked work-tree file that still holds that content back into
// a pointer file, as git-annex's removeAnnex does. A file that was
// modified (neither its inode cache entry nor its content matches the
// key) is left alone. The depopulated files' index entries are refreshed
// when the command commits (RestageDepopulated), so `git status` shows
// them unmodified.
//
// note, when not nil, receives git-annex's "checksum..." for each file
// whose content has to be hashed to know that it is unmodified.
func (r *Repo) removeContent(ctx context.Context, lock *objectstore.ContentLock, note func(string)) error {
	if err := lock.Remove(); err != nil {
		return err
	}
	return r.depopulate(ctx, lock.Key(), note)
}

// depopulate replaces the unlocked files holding k's content with its
// pointer file.
func (r *Repo) depopulate(ctx context.Context, k key.Key, note func(string)) error {
	if r.git.Top == "" {
		return nil
	}
	paths, err := r.unlockedFiles(ctx, k)
	if err != nil || len(paths) == 0 {
		return err
	}
	ic := r.depopInodes()
	d := &r.drops.depop
	for _, p := range paths {
		done, err := r.depopulateFile(ctx, ic, p, k, note)
		if err != nil {
			return err
		}
		if done {
			d.mu.Lock()
			d.restage = append(d.restage, p)
			d.mu.Unlock()
		}
	}
	return nil
}

// depopInodes returns the inode cache drops check unlocked files with,
// reading it on first use.
func (r *Repo) depopInodes() *inodeCache {
	d := &r.drops.depop
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.inodes == nil {
		d.inodes = r.newInodeCache()
	}
	return d.inodes
}

// depopulateFile writes k's pointer file over the work-tree file at path
// when it holds k's content unmodified, keeping its mode and mtime (as
// git-annex does, so git need not smudge it again). It reports whether it
// wrote the file; a missing file, a symlink, a pointer file or modified
// content is left alone.
func (r *Repo) depopulateFile(ctx context.Context, ic *inodeCache, path string, k key.Key, note func(string)) (bool, error) {
	abs := r.paths.Abs(path)
	fi, err := os.Lstat(abs)
	if err != nil || !fi.Mode().IsRegular() {
		return false, nil
	}
	if fi.Size() <= pointer.MaxSize {
		if data, err := os.ReadFile(abs); err == nil {
			if _, ok := pointer.Parse(data); ok {
				return false, nil
			}
		}
	}
	if _, known := ic.lookup(fi); !known && (!k.HasSize || k.Size == fi.Size()) && note != nil {
		note("checksum...")
	}
	ok, err := r.unmodified(ctx, ic, abs, k)
	if err != nil || !ok {
		return false, nil // modified or unreadable: git-annex leaves it
	}
	tmp := filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".trove-depopulate")
	err = os.WriteFile(tmp, pointer.File(k), fi.Mode().Perm())
	if err == nil {
		err = os.Chmod(tmp, fi.Mode().Perm())
	}
	if err == nil {
		err = os.Chtimes(tmp, fi.ModTime(), fi.ModTime())
	}
	if err == nil {
		err = os.Rename(tmp, abs)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return false, fmt.Errorf("replace %s with its pointer file after dropping its content: %w (run `git annex fsck %s` to check it)", path, err, path)
	}
	return true, nil
}

// RestageDepopulated refreshes git's index for the unlocked files that
// drops turned back into pointer files, so that `git status` shows them
// unmodified, and reports whether there were any. Commit calls it; it is
// idempotent.
func (r *Repo) RestageDepopulated(ctx context.Context) (bool, error) {
	d := &r.drops.depop
	d.mu.Lock()
	paths := d.restage
	d.restage = nil
	d.mu.Unlock()
	if len(paths) == 0 {
		return false, nil
	}
	return true, r.refreshIndex(ctx, paths)
}
