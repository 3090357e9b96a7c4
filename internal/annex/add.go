package annex

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/pointer"
)

// AddOptions are the choices of `git annex add`.
type AddOptions struct {
	// Inputs are the command-line paths, relative to the work tree top; none
	// means the whole tree.
	Inputs []string
	// ForceLarge and ForceSmall override annex.largefiles.
	ForceLarge, ForceSmall bool
	// Update adds only files git already tracks (-u).
	Update bool
	// NoCheckGitignore adds files .gitignore would skip.
	NoCheckGitignore bool
	// Backend overrides annex.backend ("" = configured or SHA256E).
	Backend string
	// DryRun reports what would be done without changing anything.
	DryRun bool
}

// AddResult is the outcome of adding one file.
type AddResult struct {
	File  string   // path relative to the work tree top
	Input []string // the command-line input the file was found through
	Key   key.Key  // zero when the file went to git
	// InGit is set when the file's content was added to git, not the annex.
	InGit bool
	Err   error
}

// Add annexes (or adds to git, by annex.largefiles) the new and modified
// files under opts.Inputs, reporting each through emit in order. Content is
// ingested atomically; files are staged in the index at the end.
func (r *Repo) Add(ctx context.Context, opts AddOptions, emit func(AddResult)) error {
	if r.git.Top == "" {
		return errors.New("add: this is a bare repository; run add in a clone with a work tree")
	}
	b, err := r.backendFor(opts.Backend)
	if err != nil {
		return err
	}
	st, err := r.newStager(ctx)
	if err != nil {
		return err
	}
	defer st.close()
	largeness, err := r.newLargeFiles(ctx, opts.ForceLarge, opts.ForceSmall)
	if err != nil {
		return err
	}
	defer largeness.close()
	inputs := opts.Inputs
	if len(inputs) == 0 {
		inputs = []string{"."}
	}
	for _, in := range inputs {
		found := false
		err := r.addCandidates(ctx, in, opts, func(c candidate) error {
			found = true
			res := AddResult{File: c.path, Input: []string{userInput(in)}}
			if opts.DryRun {
				emit(res)
				return nil
			}
			res.Key, res.InGit, res.Err = r.addOne(ctx, c, b, largeness, st)
			emit(res)
			return ctx.Err()
		})
		if err != nil {
			return err
		}
		if !found {
			if _, err := os.Lstat(r.paths.Abs(in)); errors.Is(err, fs.ErrNotExist) {
				emit(AddResult{File: in, Input: []string{userInput(in)}, Err: &NotFoundError{Path: in}})
			}
		}
	}
	return st.flush(ctx)
}

// userInput is how git-annex echoes a seek input in JSON: as typed, but the
// whole tree is "." only when given explicitly.
func userInput(in string) string { return in }

// NotFoundError reports a command-line path that names no file.
type NotFoundError struct{ Path string }

func (e *NotFoundError) Error() string { return e.Path + " not found" }

// candidate is a file add should consider.
type candidate struct {
	path string // relative to the top
	// wasUnlocked is set for a modified file whose index entry is a pointer:
	// it stays unlocked.
	wasUnlocked bool
	// tracked is set when git already tracks the path.
	tracked bool
}

// addCandidates lists, for one input path, the untracked files (unless
// Update) and the tracked files whose work tree content changed.
func (r *Repo) addCandidates(ctx context.Context, in string, opts AddOptions, fn func(candidate) error) error {
	g := r.git.NoFilter()
	if !opts.Update {
		args := []string{"ls-files", "-z", "--others"}
		if !opts.NoCheckGitignore {
			args = append(args, "--exclude-standard")
		}
		args = append(args, "--", in)
		for p, err := range g.LsFiles(ctx, args[1:]...) {
			if err != nil {
				return err
			}
			if err := fn(candidate{path: p}); err != nil {
				return err
			}
		}
	}
	// Tracked files whose content changed; unlocked files show up here
	// after being modified.
	return r.modifiedCandidates(ctx, in, fn)
}

// modifiedCandidates reports tracked files whose work tree content differs
// from the index, using git ls-files --modified. A file whose index entry
// is an annex pointer is reported as wasUnlocked.
func (r *Repo) modifiedCandidates(ctx context.Context, in string, fn func(candidate) error) error {
	g := r.git.NoFilter()
	var paths []string
	for p, err := range g.LsFiles(ctx, "-z", "--modified", "--", in) {
		if err != nil {
			return err
		}
		paths = append(paths, p)
	}
	if len(paths) == 0 {
		return nil
	}
	staged := map[string]bool{}
	err := r.indexFiles(ctx, paths, func(f AnnexedFile) error {
		staged[f.Path] = f.Unlocked
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range paths {
		if _, err := os.Lstat(r.paths.Abs(p)); err != nil {
			continue // deleted: nothing to add
		}
		unlocked := staged[p]
		if err := fn(candidate{path: p, wasUnlocked: unlocked, tracked: true}); err != nil {
			return err
		}
	}
	return nil
}

// addOne adds one candidate file.
func (r *Repo) addOne(ctx context.Context, c candidate, b *backend.Backend, lf *largeFiles, st *stager) (key.Key, bool, error) {
	abs := r.paths.Abs(c.path)
	fi, err := os.Lstat(abs)
	if err != nil {
		return key.Key{}, false, fmt.Errorf("add %s: %w", c.path, err)
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(abs)
		if err != nil {
			return key.Key{}, false, fmt.Errorf("add %s: %w", c.path, err)
		}
		if k, ok := pointer.ParseLink(target); ok {
			// An annex link git does not track yet (moved, or left by an
			// interrupted add): fix its target and stage it.
			target, err := r.placeLink(c.path, k)
			if err != nil {
				return key.Key{}, false, err
			}
			return k, false, st.addBlob(ctx, c.path, "120000", []byte(target))
		}
		return key.Key{}, false, st.addPath(c.path)
	case !fi.Mode().IsRegular():
		return key.Key{}, false, fmt.Errorf("add %s: not a regular file", c.path)
	}
	large, err := lf.isLarge(ctx, c.path, fi.Size())
	if err != nil {
		return key.Key{}, false, err
	}
	if !large && !c.wasUnlocked {
		return key.Key{}, true, st.addPath(c.path)
	}
	unlocked := c.wasUnlocked || lf.addUnlocked(c.path, fi.Size())
	if unlocked {
		k, err := r.objects.IngestCopy(ctx, abs, b, c.path, r.maxExtLen())
		if err != nil {
			return key.Key{}, false, err
		}
		if err := r.logPresent(ctx, k); err != nil {
			return k, false, err
		}
		mode := "100644"
		if fi.Mode()&0o111 != 0 {
			mode = "100755"
		}
		return k, false, st.addBlob(ctx, c.path, mode, pointer.File(k))
	}
	k, err := r.objects.IngestMove(ctx, abs, b, c.path, r.maxExtLen())
	if err != nil {
		return key.Key{}, false, err
	}
	target, err := r.placeLink(c.path, k)
	if err != nil {
		return k, false, err
	}
	if err := r.logPresent(ctx, k); err != nil {
		return k, false, err
	}
	return k, false, st.addBlob(ctx, c.path, "120000", []byte(target))
}

// writeLink makes the work tree file at repoPath a symlink to k's object,
// replacing whatever is there atomically (a temporary link renamed over it).
func (r *Repo) writeLink(repoPath string, k key.Key) error {
	_, err := r.placeLink(repoPath, k)
	return err
}

// placeLink is writeLink returning the link target.
func (r *Repo) placeLink(repoPath string, k key.Key) (string, error) {
	target := pointer.LinkTarget(repoPath, k, r.objects.HashDir(k))
	abs := r.paths.Abs(repoPath)
	if old, err := os.Readlink(abs); err == nil && old == target {
		return target, nil
	}
	tmp := filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".trove-link")
	err := os.Symlink(target, tmp)
	if errors.Is(err, fs.ErrExist) {
		_ = os.Remove(tmp)
		err = os.Symlink(target, tmp)
	}
	if err != nil {
		return "", fmt.Errorf("link %s: %w", repoPath, err)
	}
	if err := os.Rename(tmp, abs); err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("link %s: %w", repoPath, err)
	}
	return target, nil
}

// isDotfile reports whether any component of a repository path starts with
// a dot, which git-annex adds to git unless annex.dotfiles is set.
func isDotfile(p string) bool {
	for _, c := range strings.Split(p, "/") {
		if strings.HasPrefix(c, ".") && c != "." && c != ".." {
			return true
		}
	}
	return false
}
