package annexbranch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Changes is a set of pending changes to branch files, each the
// composition of the functions given for its path, in order.
type Changes map[string][]func(old []byte) []byte

// Add queues f for path.
func (c Changes) Add(path string, f func(old []byte) []byte) {
	c[path] = append(c[path], f)
}

// CommitChanges applies changes and commits them, together with everything
// in the journal, in one commit with message ("" = annex.commitmessage).
// Unlike Change it writes no journal files: the new contents go straight
// into .git/annex/index, which makes recording thousands of changes cheap.
// The journal lock is held throughout, so concurrent writers (git-annex
// included) are serialised with it. Changes lost by a crash before the
// commit are only ever records the repository can re-derive (fsck), which
// is why callers use it for "content is present" records only.
//
// A .git/annex/index.lock left by a killed git is removed first, as
// git-annex does: every writer of that index holds the journal lock, so
// under it the lock file can only be stale. The old contents are read from
// the branch's tree, resolved once, and from the journal only for the paths
// it has entries for.
func (b *Branch) CommitChanges(ctx context.Context, changes Changes, message string) error {
	if message == "" {
		message = b.commitMessage
	}
	unlock, err := b.lockJournal(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	entries, err := b.listJournal()
	if err != nil {
		return err
	}
	if len(entries) == 0 && len(changes) == 0 {
		return nil
	}
	read, err := b.committedReader(ctx, entries)
	if err != nil {
		return err
	}
	paths := make([]string, 0, len(changes))
	for p := range changes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	contents := make(map[string][]byte, len(changes))
	for _, p := range paths {
		old, err := read(ctx, p)
		if err != nil {
			return err
		}
		cur := old
		for _, f := range changes[p] {
			cur = f(cur)
		}
		if string(cur) != string(old) {
			contents[p] = cur
		}
	}
	if len(entries) == 0 && len(contents) == 0 {
		return nil
	}
	return b.commitLocked(ctx, entries, contents, nil, message)
}

// committedReader returns a function reading the current content of branch
// files like Get, but through the tree of the branch's current commit
// (resolved once here) and without looking in the journal for paths that
// have no entry in entries (the listed journal).
func (b *Branch) committedReader(ctx context.Context, entries []journalEntry) (func(context.Context, string) ([]byte, error), error) {
	inJournal := make(map[string]bool, len(entries))
	for _, e := range entries {
		inJournal[e.path] = true
	}
	tree, err := b.repo.RevParse(ctx, Ref+"^{tree}")
	if err != nil {
		return nil, fmt.Errorf("read git-annex branch: %w", err)
	}
	return func(ctx context.Context, path string) ([]byte, error) {
		if inJournal[path] {
			if data, ok, err := b.readJournal(path); err != nil || ok {
				return data, err
			}
		}
		return b.getCommitted(ctx, tree+":"+path)
	}, nil
}

// removeStaleIndexLock removes .git/annex/index.lock; the journal lock must
// be held.
func (b *Branch) removeStaleIndexLock() error {
	lock := filepath.Join(b.annexDir, "index.lock")
	if err := os.Remove(lock); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove stale %s: %w", lock, err)
	}
	return nil
}
