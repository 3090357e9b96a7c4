package annexbranch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/logs"
)

// maxRaceRetries bounds how often Commit retries when another process moves
// the branch between our read and our update-ref.
const maxRaceRetries = 5

// Create makes the branch if it does not exist: from origin/git-annex when
// that exists (as `git branch --no-track`), else as an empty-tree commit
// "branch created". It then makes .git/annex/index reflect the branch.
// Creating an existing branch is a no-op.
func (b *Branch) Create(ctx context.Context) error {
	if _, err := b.Sha(ctx); err == nil {
		return nil
	} else if !errors.Is(err, gitcmd.ErrNotFound) {
		return err
	}
	sha, err := b.repo.RevParse(ctx, "refs/remotes/origin/"+Name)
	if errors.Is(err, gitcmd.ErrNotFound) {
		var tree string
		tree, err = b.emptyTree(ctx)
		if err == nil {
			sha, err = b.repo.CommitTree(ctx, tree, nil, "branch created")
		}
	}
	if err != nil {
		return fmt.Errorf("create git-annex branch: %w", err)
	}
	if err := b.repo.UpdateRef(ctx, Ref, sha, zeros(b.repo)); err != nil {
		return fmt.Errorf("create git-annex branch: %w", err)
	}
	if err := os.MkdirAll(b.annexDir, 0o755); err != nil {
		return fmt.Errorf("create git-annex branch: %w", err)
	}
	if err := b.index.ReadTree(ctx, sha); err != nil {
		return fmt.Errorf("create git-annex branch index: %w", err)
	}
	return b.writeIndexStatus(sha)
}

// emptyTree writes the empty tree and returns its id.
func (b *Branch) emptyTree(ctx context.Context) (string, error) {
	out, err := b.repo.RunInput(ctx, strings.NewReader(""), "mktree")
	return strings.TrimSpace(string(out)), err
}

func zeros(r *gitcmd.Repo) string {
	if r.ObjectFormat == "sha256" {
		return strings.Repeat("0", 64)
	}
	return strings.Repeat("0", 40)
}

// Commit commits every journalled change to the branch in one commit with
// message ("" means annex.commitmessage, default "update"), then removes the
// committed journal entries. With an empty journal it does nothing. If the
// branch moved since .git/annex/index was last written (another process
// committed or merged), the branch is union-merged into the index first, so
// nothing is lost.
func (b *Branch) Commit(ctx context.Context, message string) error {
	if message == "" {
		message = b.commitMessage
	}
	unlock, err := b.lockJournal(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	entries, err := b.listJournal()
	if err != nil || len(entries) == 0 {
		return err
	}
	return b.commitLocked(ctx, entries, nil, nil, message)
}

// commitLocked stages the journal entries and the given contents (which
// win over journal entries of the same path) and merges the refs into the
// index, then commits with parents [branch]+refs and removes the entries.
// The journal lock must be held.
func (b *Branch) commitLocked(ctx context.Context, entries []journalEntry, contents map[string][]byte, refs []string, message string) error {
	// Every writer of .git/annex/index holds the journal lock, so an
	// index.lock seen now was left by a killed git.
	if err := b.removeStaleIndexLock(); err != nil {
		return err
	}
	files, err := b.collect(entries, contents)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		parent, err := b.Sha(ctx)
		if err != nil {
			if errors.Is(err, gitcmd.ErrNotFound) {
				return fmt.Errorf("commit to git-annex branch: %w", errNoBranch)
			}
			return err
		}
		inSync, err := b.syncIndex(ctx, parent)
		if err != nil {
			return err
		}
		if inSync && len(refs) == 0 {
			// The index is the parent's tree: the new tree is the
			// parent's with files changed, which fast-import builds
			// and packs.
			commit, err := b.fastCommit(ctx, parent, files, message)
			if errors.Is(err, errRefMoved) && attempt < maxRaceRetries {
				continue
			}
			if err != nil {
				return err
			}
			if err := b.stageFiles(ctx, files, nil); err != nil {
				return err
			}
			if err := b.writeIndexStatus(commit); err != nil {
				return err
			}
			return b.removeJournal(entries)
		}
		if err := b.stage(ctx, files); err != nil {
			return err
		}
		for _, ref := range refs {
			if err := b.mergeIntoIndex(ctx, ref); err != nil {
				return err
			}
		}
		tree, err := b.index.WriteTree(ctx)
		if err != nil {
			return fmt.Errorf("commit to git-annex branch: %w", err)
		}
		commit, err := b.repo.CommitTree(ctx, tree, append([]string{parent}, refs...), message)
		if err != nil {
			return fmt.Errorf("commit to git-annex branch: %w", err)
		}
		err = b.repo.UpdateRef(ctx, Ref, commit, parent)
		if err != nil {
			// Lost a race with another writer: merge its commit next time round.
			if cur, cerr := b.Sha(ctx); cerr == nil && cur != parent && attempt < maxRaceRetries {
				continue
			}
			return fmt.Errorf("commit to git-annex branch: %w", err)
		}
		if err := b.writeIndexStatus(commit); err != nil {
			return err
		}
		return b.removeJournal(entries)
	}
}

// collect returns the contents to commit: the journal entries (those
// still present) and contents, which win over journal entries of the same
// path; journal entries first, then contents in path order.
func (b *Branch) collect(entries []journalEntry, contents map[string][]byte) ([]fileContent, error) {
	files := make([]fileContent, 0, len(entries)+len(contents))
	for _, e := range entries {
		if _, ok := contents[e.path]; ok {
			continue
		}
		data, ok, err := b.readJournal(e.path)
		if err != nil {
			return nil, err
		}
		if ok {
			files = append(files, fileContent{e.path, data})
		}
	}
	paths := make([]string, 0, len(contents))
	for p := range contents {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		files = append(files, fileContent{p, contents[p]})
	}
	return files, nil
}

// stage writes files as blobs and puts them in the index.
func (b *Branch) stage(ctx context.Context, files []fileContent) error {
	if len(files) == 0 {
		return nil
	}
	bw, err := b.repo.NewBlobWriter(ctx)
	if err != nil {
		return err
	}
	defer bw.Close()
	shas := make([]string, len(files))
	for i, f := range files {
		if shas[i], err = bw.Write(ctx, f.data); err != nil {
			return fmt.Errorf("stage %s: %w", f.path, err)
		}
	}
	if err := bw.Close(); err != nil {
		return fmt.Errorf("stage journal: %w", err)
	}
	return b.stageFiles(ctx, files, shas)
}

// syncIndex makes .git/annex/index contain the branch commit sha: it is
// read from the branch when missing, and union-merged with it when
// index.lck says it reflects another commit. It reports whether the index
// is now exactly the tree of sha (false after a union merge, which keeps
// files only the index had).
func (b *Branch) syncIndex(ctx context.Context, sha string) (bool, error) {
	indexFile := filepath.Join(b.annexDir, "index")
	if _, err := os.Stat(indexFile); errors.Is(err, os.ErrNotExist) {
		if err := b.index.ReadTree(ctx, sha); err != nil {
			return false, fmt.Errorf("read git-annex branch into %s: %w", indexFile, err)
		}
		return true, b.writeIndexStatus(sha)
	}
	cur, err := os.ReadFile(filepath.Join(b.annexDir, "index.lck"))
	if err == nil && strings.TrimSpace(string(cur)) == sha {
		return true, nil
	}
	return false, b.mergeIntoIndex(ctx, sha)
}

// writeIndexStatus records in index.lck which branch commit the index
// reflects.
func (b *Branch) writeIndexStatus(sha string) error {
	p := filepath.Join(b.annexDir, "index.lck")
	if err := fsutil.WriteFileAtomic(p, []byte(sha+"\n"), filePerm, ""); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	return nil
}

// mergeIntoIndex union-merges the tree of ref into .git/annex/index as
// git-annex's Git.UnionMerge does: a file only in ref is taken, a file only
// in the index is kept (deletions never propagate), a file in both becomes
// the sorted, deduplicated union of their lines.
func (b *Branch) mergeIntoIndex(ctx context.Context, ref string) error {
	type update struct{ mode, sha, path string }
	var updates []update
	var bw *gitcmd.BlobWriter
	defer func() {
		if bw != nil {
			bw.Close()
		}
	}()
	z := zeros(b.repo)
	for d, err := range b.index.DiffIndex(ctx, "--cached", "-r", "--no-renames", "-l0", ref, "--") {
		if err != nil {
			return fmt.Errorf("merge %s into git-annex index: %w", ref, err)
		}
		switch {
		case d.SrcSHA == z: // only in the index
		case d.DstSHA == z: // only in ref
			updates = append(updates, update{d.SrcMode, d.SrcSHA, d.Path})
		default:
			theirs, err := b.getCommitted(ctx, d.SrcSHA)
			if err != nil {
				return err
			}
			ours, err := b.getCommitted(ctx, d.DstSHA)
			if err != nil {
				return err
			}
			merged := logs.UnionMerge(ours, theirs)
			switch {
			case bytes.Equal(merged, ours):
			case bytes.Equal(merged, theirs):
				updates = append(updates, update{d.SrcMode, d.SrcSHA, d.Path})
			default:
				if bw == nil {
					if bw, err = b.repo.NewBlobWriter(ctx); err != nil {
						return err
					}
				}
				sha, err := bw.Write(ctx, merged)
				if err != nil {
					return fmt.Errorf("merge %s of %s: %w", d.Path, ref, err)
				}
				updates = append(updates, update{"100644", sha, d.Path})
			}
		}
	}
	if len(updates) == 0 {
		return nil
	}
	if bw != nil {
		if err := bw.Close(); err != nil {
			return fmt.Errorf("merge %s into git-annex index: %w", ref, err)
		}
	}
	ui, err := b.index.NewUpdateIndex(ctx)
	if err != nil {
		return err
	}
	for _, u := range updates {
		if err := ui.Add(ctx, u.mode, u.sha, u.path); err != nil {
			ui.Close()
			return fmt.Errorf("merge %s into git-annex index: %w", ref, err)
		}
	}
	if err := ui.Close(); err != nil {
		return fmt.Errorf("merge %s into git-annex index: %w", ref, err)
	}
	return nil
}
