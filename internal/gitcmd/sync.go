package gitcmd

import (
	"bytes"
	"context"
	"io"
	"strings"
)

// RunTo runs git with args, sending its stdout and stderr to the given
// writers as git writes them (nil discards), for commands whose own output
// the user sees: commit, fetch, merge, push. A failure is an *Error whose
// Stderr is empty (git's message went to stderr).
func (r *Repo) RunTo(ctx context.Context, stdout, stderr io.Writer, args ...string) error {
	cmd := r.command(ctx, args)
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		return &Error{Args: args, Err: err}
	}
	return nil
}

// Transcript runs git with args and returns its stdout and stderr
// interleaved as written, and whether it succeeded. Only a failure to start
// git is an error.
func (r *Repo) Transcript(ctx context.Context, args ...string) (string, bool, error) {
	// One writer for both: exec then gives git a single pipe, so the
	// order of the lines is kept.
	var buf bytes.Buffer
	cmd := r.command(ctx, args)
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	err := cmd.Run()
	if err != nil && exitCode(&Error{Err: err}) < 0 {
		return buf.String(), false, &Error{Args: args, Err: err}
	}
	return buf.String(), err == nil, nil
}

// CurrentBranch returns the full name of the checked-out branch
// ("refs/heads/master"), or "" when HEAD is detached. The branch need not
// have commits yet.
func (r *Repo) CurrentBranch(ctx context.Context) (string, error) {
	out, err := r.runLine(ctx, "symbolic-ref", "-q", "HEAD")
	if err != nil {
		if exitCode(err) == 1 {
			return "", nil
		}
		return "", err
	}
	return out, nil
}

// RefExists reports whether the full ref name exists.
func (r *Repo) RefExists(ctx context.Context, ref string) (bool, error) {
	_, err := r.Run(ctx, "show-ref", "--verify", "-q", ref)
	if err != nil {
		if exitCode(err) == 1 {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// HasNewCommits reports whether to has commits that from lacks, as
// `git log from..to -n1` shows them. Both must exist.
func (r *Repo) HasNewCommits(ctx context.Context, from, to string) (bool, error) {
	out, err := r.Run(ctx, "log", from+".."+to, "--pretty=%H", "-n1", "--")
	if err != nil {
		return false, err
	}
	return strings.TrimSpace(string(out)) != "", nil
}

// BranchName returns the short name of a full branch ref
// ("refs/heads/master" → "master").
func BranchName(ref string) string { return strings.TrimPrefix(ref, "refs/heads/") }
