package annexbranch

import (
	"context"
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
	paths := make([]string, 0, len(changes))
	for p := range changes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	contents := make(map[string][]byte, len(changes))
	for _, p := range paths {
		old, err := b.Get(ctx, p)
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
