package gitcmd

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Repo is a git repository and the way git is run in it. A Repo is
// immutable: the With* methods return modified copies, so a Repo is safe for
// concurrent use.
type Repo struct {
	// Top is the absolute top of the work tree, "" for a bare repository.
	Top string
	// GitDir is the absolute git directory (for a linked work tree, its own
	// directory under the common dir).
	GitDir string
	// CommonDir is the absolute directory holding objects, refs and config.
	CommonDir string
	// Bare reports a bare repository.
	Bare bool
	// ObjectFormat is the object hash, "sha1" or "sha256".
	ObjectFormat string

	params []string // "name=value", passed as -c
	env    []string // "NAME=value", appended to the process environment
}

// Discover finds the repository containing dir with a single git call. The
// error for a directory outside any repository says so and names the command
// that fixes it.
func Discover(ctx context.Context, dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("discover repository at %s: %w", dir, err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	args := []string{"rev-parse", "--path-format=absolute", "--absolute-git-dir",
		"--git-common-dir", "--show-object-format", "--is-bare-repository",
		"--is-inside-work-tree", "--show-cdup"}
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = abs
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "not a git repository") {
			return nil, fmt.Errorf("not a git repository: %s (run `git init` first)", dir)
		}
		return nil, &Error{Args: args, Stderr: strings.TrimSpace(stderr.String()), Err: err}
	}
	return parseDiscover(abs, string(out))
}

// parseDiscover interprets the output of Discover's rev-parse, run in dir.
func parseDiscover(dir, out string) (*Repo, error) {
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) < 5 {
		return nil, fmt.Errorf("discover repository at %s: unexpected rev-parse output %q", dir, out)
	}
	r := &Repo{
		GitDir:       lines[0],
		CommonDir:    lines[1],
		ObjectFormat: lines[2],
		Bare:         lines[3] == "true",
	}
	switch {
	case lines[4] == "true" && len(lines) >= 6:
		r.Top = filepath.Clean(filepath.Join(dir, lines[5]))
	case !r.Bare && filepath.Base(r.GitDir) == ".git":
		// Run from inside the .git directory of a non-bare repository.
		r.Top = filepath.Dir(r.GitDir)
	}
	return r, nil
}

// WithConfig returns a copy of r whose git calls get each "name=value" as a
// -c parameter, after any parameters r already has (so later ones win).
func (r *Repo) WithConfig(params ...string) *Repo {
	c := *r
	c.params = append(slices.Clip(r.params), params...)
	return &c
}

// WithEnv returns a copy of r whose git calls get each "NAME=value" added to
// their environment, overriding the inherited value.
func (r *Repo) WithEnv(env ...string) *Repo {
	c := *r
	c.env = append(slices.Clip(r.env), env...)
	return &c
}

// WithIndex returns a copy of r whose git calls use the index file path
// (GIT_INDEX_FILE) instead of the repository's index.
func (r *Repo) WithIndex(path string) *Repo {
	return r.WithEnv("GIT_INDEX_FILE=" + path)
}

// NoFilter returns a copy of r whose git calls disable the annex
// clean/smudge filter, so our own git calls never re-enter our filter.
func (r *Repo) NoFilter() *Repo {
	return r.WithConfig("filter.annex.process=", "filter.annex.smudge=", "filter.annex.clean=")
}

// Path returns the absolute path of name inside the git directory.
func (r *Repo) Path(name ...string) string {
	return filepath.Join(append([]string{r.GitDir}, name...)...)
}
