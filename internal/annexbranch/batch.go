package annexbranch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/troveproject/trove/internal/gitcmd"
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
// it has entries for. With private repositories, lines naming one go to
// the private journal instead of the commit (see AddPrivate).
func (b *Branch) CommitChanges(ctx context.Context, changes Changes, message string) error {
	_, err := b.CommitChangesMade(ctx, changes, message)
	return err
}

// CommitChangesMade is CommitChanges that reports whether it made a commit:
// false when nothing changed, or when every change was private.
func (b *Branch) CommitChangesMade(ctx context.Context, changes Changes, message string) (bool, error) {
	if message == "" {
		message = b.commitMessage
	}
	unlock, err := b.lockJournal(ctx)
	if err != nil {
		return false, err
	}
	defer unlock()
	entries, err := b.listJournal()
	if err != nil {
		return false, err
	}
	if len(entries) == 0 && len(changes) == 0 {
		return false, nil
	}
	paths := make([]string, 0, len(changes))
	for p := range changes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	olds, err := b.currentContents(ctx, entries, paths)
	if err != nil {
		return false, err
	}
	contents := make(map[string][]byte, len(changes))
	for i, p := range paths {
		old := olds[i]
		if b.private() != nil {
			cur, changed, err := b.applyWithPrivate(p, old, changes[p])
			if err != nil {
				return false, err
			}
			if changed {
				contents[p] = cur
			}
			continue
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
		return false, nil
	}
	return true, b.commitLocked(ctx, entries, contents, nil, message)
}

// currentContents returns the current content of each of paths (nil for
// a file that exists nowhere): the journal entry for the paths entries (the
// listed journal) has, else the file in the branch's current commit. The
// journal lock must be held. The branch files are asked of one cat-file
// with all requests in flight, by names that spare git the root tree
// ("SUBTREE:rest"), so thousands of paths cost no round trip each; files
// a Pipeline read from the same tree cost none at all.
func (b *Branch) currentContents(ctx context.Context, entries []journalEntry, paths []string) ([][]byte, error) {
	inJournal := make(map[string]bool, len(entries))
	for _, e := range entries {
		inJournal[e.path] = true
	}
	root, err := b.rootTree(ctx)
	if err != nil {
		return nil, fmt.Errorf("read git-annex branch: %w", err)
	}
	if root == nil {
		return nil, fmt.Errorf("read git-annex branch: %w", errNoBranch)
	}
	out := make([][]byte, len(paths))
	var idx []int // the paths asked of git, by index, in names' order
	var names []string
	for i, p := range paths {
		if inJournal[p] {
			data, ok, err := b.readJournal(p)
			if err != nil {
				return nil, err
			}
			if ok {
				out[i] = data
				continue
			}
		}
		name, ok := root.objectName(p)
		if !ok {
			continue
		}
		if data, ok := b.read.take(name); ok {
			out[i] = data
			continue
		}
		idx, names = append(idx, i), append(names, name)
	}
	if len(names) == 0 {
		return out, nil
	}
	pipe, err := b.repo.NewCatFilePipe(ctx)
	if err != nil {
		return nil, fmt.Errorf("read git-annex branch: %w", err)
	}
	next := 0
	err = pipe.ReadAll(ctx, slices.Values(names), func(_ string, obj gitcmd.Object, found bool) error {
		if found && obj.Type == "blob" {
			out[idx[next]] = obj.Data
		}
		next++
		return nil
	})
	if err != nil {
		pipe.Close()
		if next < len(idx) {
			return nil, fmt.Errorf("read %s:%s: %w", Ref, paths[idx[next]], err)
		}
		return nil, fmt.Errorf("read git-annex branch: %w", err)
	}
	if err := pipe.Close(); err != nil {
		return nil, fmt.Errorf("read git-annex branch: %w", err)
	}
	return out, nil
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
