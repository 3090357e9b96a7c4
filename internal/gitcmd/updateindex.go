package gitcmd

import (
	"context"
	"fmt"
	"strings"
)

// UpdateIndex is a long-running `git update-index -z --index-info` that
// stages entries into the index of its Repo (see WithIndex). Entries are
// buffered; the index is written when Close returns without error. It is
// safe for concurrent use.
type UpdateIndex struct {
	b     *batch
	zeros string
}

// NewUpdateIndex starts update-index; it lives until Close or until ctx is
// done (which discards the changes).
func (r *Repo) NewUpdateIndex(ctx context.Context) (*UpdateIndex, error) {
	b, err := r.startBatch(ctx, "update-index", "-z", "--index-info")
	if err != nil {
		return nil, err
	}
	return &UpdateIndex{b: b, zeros: strings.Repeat("0", hashHexLen(r.ObjectFormat))}, nil
}

// Add stages sha at path with mode (e.g. "100644"), replacing any entry.
func (u *UpdateIndex) Add(ctx context.Context, mode, sha, path string) error {
	if !validMode(mode) || !validSHA(sha) {
		return fmt.Errorf("update-index %s: bad mode %q or object %q", path, mode, sha)
	}
	return u.write(ctx, mode, sha, path)
}

// Remove unstages path. Removing an absent path is not an error.
func (u *UpdateIndex) Remove(ctx context.Context, path string) error {
	return u.write(ctx, "0", u.zeros, path)
}

func (u *UpdateIndex) write(ctx context.Context, mode, sha, path string) error {
	if path == "" || strings.ContainsRune(path, 0) {
		return fmt.Errorf("update-index: invalid path %q", path)
	}
	return u.b.do(ctx, func() error {
		_, err := u.b.w.WriteString(mode + " " + sha + "\t" + path + "\x00")
		return err
	})
}

// Close sends the remaining entries, waits for git to write the index and
// reports its failure. It is idempotent.
func (u *UpdateIndex) Close() error { return u.b.close() }
