package annex

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Paths converts between the paths a user types (relative to the directory
// a command runs in) and the slash-separated paths relative to the work tree
// top that the repository uses.
type Paths struct {
	Top string // absolute work tree top
	Cwd string // absolute directory the command runs in
}

// OutsideError reports a command-line path that is not inside the work tree.
type OutsideError struct {
	Path string
	Top  string
}

func (e *OutsideError) Error() string {
	return fmt.Sprintf("%s is outside the repository at %s (cd into the repository, or give a path inside it)", e.Path, e.Top)
}

// ToRepo returns arg as a path relative to the work tree top ("." for the
// top itself).
func (p Paths) ToRepo(arg string) (string, error) {
	abs := arg
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(p.Cwd, arg)
	}
	abs = filepath.Clean(abs)
	rel, err := filepath.Rel(p.Top, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		// The top may be reached through a symlink: compare real paths.
		if real, rerr := filepath.EvalSymlinks(filepath.Dir(abs)); rerr == nil {
			if rel2, err2 := filepath.Rel(p.Top, filepath.Join(real, filepath.Base(abs))); err2 == nil &&
				rel2 != ".." && !strings.HasPrefix(rel2, "../") {
				return filepath.ToSlash(rel2), nil
			}
		}
		return "", &OutsideError{Path: arg, Top: p.Top}
	}
	return filepath.ToSlash(rel), nil
}

// ToUser returns a repository path as git-annex shows it: relative to the
// directory the command runs in.
func (p Paths) ToUser(repoPath string) string {
	if p.Cwd == p.Top || p.Cwd == "" {
		return repoPath
	}
	rel, err := filepath.Rel(p.Cwd, filepath.Join(p.Top, filepath.FromSlash(repoPath)))
	if err != nil {
		return repoPath
	}
	return filepath.ToSlash(rel)
}

// Abs returns the absolute file system path of a repository path.
func (p Paths) Abs(repoPath string) string {
	return filepath.Join(p.Top, filepath.FromSlash(repoPath))
}

// CurrentPaths returns Paths for a work tree top and the process's
// directory (or dir when not empty).
func CurrentPaths(top, dir string) (Paths, error) {
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return Paths{}, err
		}
		dir = wd
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	return Paths{Top: top, Cwd: dir}, nil
}
