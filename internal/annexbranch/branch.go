// Package annexbranch reads and writes the git-annex branch the way
// git-annex 10 does: changes go to whole-file journal entries under
// .git/annex/journal (written atomically under the fcntl lock journal.lck),
// reads prefer the journal over the branch, and Commit stages the journal
// into .git/annex/index and commits it to refs/heads/git-annex in one
// commit, however many files changed. Update union-merges sibling
// */git-annex branches.
//
// Crash safety: journal files are complete or absent, and a journal file is
// removed only after the branch points at a commit containing it.
package annexbranch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/troveproject/trove/internal/config"
	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/lockfile"
	"github.com/troveproject/trove/internal/logs"
)

// Branch names.
const (
	Name = "git-annex"
	Ref  = "refs/heads/" + Name
)

// filePerm is the mode of journal files and local state files.
const filePerm = 0o644

// Branch is the git-annex branch of one repository. It is safe for
// concurrent use; Change and Commit serialise on the journal lock, which also
// excludes a git-annex running on the same repository.
type Branch struct {
	repo          *gitcmd.Repo // filters disabled
	index         *gitcmd.Repo // repo with GIT_INDEX_FILE=.git/annex/index
	annexDir      string
	commitMessage string

	mu  sync.Mutex // guards cat
	cat *gitcmd.CatFile

	tree treeCache // the root tree reads go through
	read readCache // files Pipelines read, for currentContents

	// journalMu serialises this process's journal writers before they take
	// the fcntl lock, which then only waits for other processes (its
	// cancellable wait polls, which is slow under in-process contention).
	journalMu sync.Mutex

	// privateUUIDs are the private repositories (private.go); nil when
	// there are none.
	privateUUIDs atomic.Pointer[privateSet]
}

// Open returns the branch of repo. cfg supplies annex.commitmessage and
// the private repositories (see AddPrivate); nil means git-annex's
// defaults. Open does not create the branch (see Create)
// and starts no process until the first read.
func Open(repo *gitcmd.Repo, cfg *config.Config) *Branch {
	msg := config.DefaultCommitMessage
	if cfg != nil && cfg.CommitMessage != "" {
		msg = cfg.CommitMessage
	}
	repo = repo.NoFilter()
	annexDir := filepath.Join(repo.CommonDir, "annex")
	b := &Branch{
		repo:          repo,
		index:         repo.WithIndex(filepath.Join(annexDir, "index")),
		annexDir:      annexDir,
		commitMessage: msg,
	}
	b.AddPrivate(PrivateFromConfig(cfg)...)
	return b
}

// Close stops the branch's long-running git processes. The Branch must not
// be used afterwards.
func (b *Branch) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cat == nil {
		return nil
	}
	err := b.cat.Close()
	b.cat = nil
	return err
}

// Sha returns the commit the branch points at; the error wraps
// gitcmd.ErrNotFound when the branch does not exist.
func (b *Branch) Sha(ctx context.Context) (string, error) {
	return b.repo.RevParse(ctx, Ref)
}

// Get returns the current content of branch file path: the journal entry if
// there is one, else the file in the branch. A file that exists nowhere is
// nil with no error. Get does not merge sibling branches; call Update first.
//
// Reads see the branch as it was at the first read, or at the last time
// this Branch took or released the journal lock (Change, Commit,
// CommitChanges, Update), whichever is later; a Change always computes the
// new content from the branch as it is under the lock. Get is safe for
// concurrent use and costs one open of the journal entry plus at most one
// cat-file round trip. When some repositories are private, the private
// journal entry of path, if any, is appended (see AddPrivate).
func (b *Branch) Get(ctx context.Context, path string) ([]byte, error) {
	if b.private() != nil {
		return b.getWithPrivate(ctx, path)
	}
	return b.getPublic(ctx, path)
}

// getPublic is Get without the private journal.
func (b *Branch) getPublic(ctx context.Context, path string) ([]byte, error) {
	data, ok, err := b.readJournal(path)
	if err != nil || ok {
		return data, err
	}
	return b.getBranchFile(ctx, path)
}

// getCommitted reads a blob by name through the long-running cat-file.
func (b *Branch) getCommitted(ctx context.Context, name string) ([]byte, error) {
	obj, found, err := b.readObject(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if !found {
		return nil, nil
	}
	return obj.Data, nil
}

// readObject reads an object by name through the long-running cat-file.
func (b *Branch) readObject(ctx context.Context, name string) (gitcmd.Object, bool, error) {
	cat, err := b.catFile(ctx)
	if err != nil {
		return gitcmd.Object{}, false, err
	}
	return cat.Read(ctx, name)
}

// catFile starts cat-file on first use. The process outlives ctx; it ends
// with Close.
func (b *Branch) catFile(ctx context.Context) (*gitcmd.CatFile, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cat == nil {
		cat, err := b.repo.NewCatFile(context.WithoutCancel(ctx))
		if err != nil {
			return nil, err
		}
		b.cat = cat
	}
	return b.cat, nil
}

// Change replaces branch file path with f(old), where old is its current
// content (nil when absent). The whole new content is written to the
// journal atomically while holding the journal lock, so concurrent Changes of
// one file (from this or another process, git-annex included) never lose an
// update. Nothing is committed: call Commit once after many Changes. When f
// returns content equal to old, nothing is written. With private
// repositories, old includes the private journal and the lines of the new
// content that name a private repository go back to the private journal,
// never to the branch (see AddPrivate).
func (b *Branch) Change(ctx context.Context, path string, f func(old []byte) []byte) error {
	if path == "" || strings.HasPrefix(path, "/") || strings.ContainsRune(path, 0) {
		return fmt.Errorf("change branch file %q: invalid path", path)
	}
	unlock, err := b.lockJournal(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if b.private() != nil {
		return b.changeWithPrivate(ctx, path, f)
	}
	old, err := b.Get(ctx, path)
	if err != nil {
		return err
	}
	data := f(old)
	if string(data) == string(old) && old != nil {
		return nil
	}
	return b.writeJournal(path, data)
}

// lockJournal takes the exclusive journal lock, creating .git/annex as
// needed: first journalMu, then the fcntl lock on journal.lck. Taking and
// releasing it marks the cached root tree stale: under the lock reads must
// see what other processes committed, and after it this process may have
// moved the branch itself.
func (b *Branch) lockJournal(ctx context.Context) (unlock func(), err error) {
	b.journalMu.Lock()
	if err := os.MkdirAll(b.annexDir, 0o755); err != nil {
		b.journalMu.Unlock()
		return nil, fmt.Errorf("lock journal: %w", err)
	}
	lk, err := lockfile.Open(filepath.Join(b.annexDir, "journal.lck"), filePerm)
	if err != nil {
		b.journalMu.Unlock()
		return nil, fmt.Errorf("lock journal: %w", err)
	}
	if err := lk.LockExclusive(ctx); err != nil {
		lk.Close()
		b.journalMu.Unlock()
		return nil, fmt.Errorf("lock journal %s: %w", lk.Path(), err)
	}
	b.tree.markStale()
	return func() {
		b.tree.markStale()
		lk.Close()
		b.journalMu.Unlock()
	}, nil
}

// errNoBranch is wrapped when the branch is needed but absent.
var errNoBranch = errors.New("the git-annex branch does not exist (run `git annex init` first)")

// journalName is the name of path's journal entry in the journal directory.
func journalName(path string) string { return logs.JournalFileName(path) }
