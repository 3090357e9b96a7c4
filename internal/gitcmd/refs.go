package gitcmd

import (
	"context"
	"fmt"
	"strings"
)

// Ref is a ref name and the object it points at.
type Ref struct {
	Name string // full name, e.g. "refs/heads/git-annex"
	SHA  string
}

// RevParse resolves rev to an object id. A rev that does not resolve gives
// an error wrapping ErrNotFound.
func (r *Repo) RevParse(ctx context.Context, rev string) (string, error) {
	sha, err := r.runLine(ctx, "rev-parse", "--verify", "--quiet", "--end-of-options", rev)
	if err != nil {
		if exitCode(err) == 1 {
			return "", fmt.Errorf("rev-parse %s: %w", rev, ErrNotFound)
		}
		return "", err
	}
	return sha, nil
}

// ShowRef lists refs matching the patterns as `git show-ref PATTERN...` does
// (a pattern matches whole trailing path components: "git-annex" matches
// "refs/remotes/origin/git-annex"). No match is an empty list, not an error.
func (r *Repo) ShowRef(ctx context.Context, patterns ...string) ([]Ref, error) {
	out, err := r.Run(ctx, append([]string{"show-ref", "--"}, patterns...)...)
	if err != nil {
		if exitCode(err) == 1 {
			return nil, nil
		}
		return nil, err
	}
	var refs []Ref
	for line := range strings.Lines(string(out)) {
		sha, name, ok := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		if !ok || !validSHA(sha) {
			return nil, fmt.Errorf("show-ref: unexpected line %q", line)
		}
		refs = append(refs, Ref{Name: name, SHA: sha})
	}
	return refs, nil
}

// UpdateRef points ref at newSHA. When oldSHA is not "", the update happens
// only if ref currently points at oldSHA (all zeros: ref must not exist);
// otherwise it fails.
func (r *Repo) UpdateRef(ctx context.Context, ref, newSHA, oldSHA string) error {
	args := []string{"update-ref", "--no-deref", ref, newSHA}
	if oldSHA != "" {
		args = append(args, oldSHA)
	}
	_, err := r.Run(ctx, args...)
	return err
}

// WriteTree writes the index (see WithIndex) as a tree and returns its id.
func (r *Repo) WriteTree(ctx context.Context) (string, error) {
	return r.runLine(ctx, "write-tree")
}

// ReadTree replaces the index (see WithIndex) with the content of treeish.
func (r *Repo) ReadTree(ctx context.Context, treeish string) error {
	_, err := r.Run(ctx, "read-tree", "--end-of-options", treeish)
	return err
}

// CommitTree creates a commit of tree with the parents and message and
// returns its id. Author and committer come from git's configuration and the
// GIT_AUTHOR_* / GIT_COMMITTER_* environment (see WithEnv).
func (r *Repo) CommitTree(ctx context.Context, tree string, parents []string, message string) (string, error) {
	args := []string{"commit-tree", tree}
	for _, p := range parents {
		args = append(args, "-p", p)
	}
	out, err := r.RunInput(ctx, strings.NewReader(message), args...)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(out), "\n"), nil
}

// IsAncestor reports whether commit a is an ancestor of (or equal to) b.
func (r *Repo) IsAncestor(ctx context.Context, a, b string) (bool, error) {
	_, err := r.Run(ctx, "merge-base", "--is-ancestor", a, b)
	if err != nil {
		if exitCode(err) == 1 {
			return false, nil
		}
		return false, err
	}
	return true, nil
}
