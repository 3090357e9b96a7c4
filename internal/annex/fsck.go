package annex

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/policy"
)

// FsckOptions select what `fsck` checks and how.
type FsckOptions struct {
	// Inputs are paths relative to the top; none means the whole tree.
	Inputs []string
	// Keys, when set, are checked instead of files (--key).
	Keys []key.Key
	// All checks every key the git-annex branch knows of (--all); a
	// bare repository given no Inputs does so too, as in git-annex.
	All bool
	// Fast skips checksums (--fast).
	Fast bool
	// Jobs is how many files are checked at once (-J); < 1 means 1.
	Jobs int
	// NumCopies overrides numcopies when > 0 (--numcopies).
	NumCopies int
}

// FsckItem is one file or key being checked.
type FsckItem struct {
	File  string  // path relative to the top; "" when checking a key alone
	Key   key.Key //
	Input string  // the command-line input it was found through
}

// FsckReporter receives, in order, what fsck does and finds for one item.
// Its methods are called from the goroutine checking the item.
type FsckReporter interface {
	// Note is a short note: "fixing link", "fixing location log", "checksum...".
	Note(text string)
	// Warn reports a problem (git-annex's warnings, lines joined by "\n").
	Warn(text string)
	// LongNote is an informational note on lines of its own.
	LongNote(text string)
	// Done ends the item with its result; nothing follows it.
	Done(res FsckResult)
}

// FsckResult is the outcome of checking one item.
type FsckResult struct {
	FsckItem
	OK bool
	// CopiesChecked is set when numcopies was not met; Untrusted and Dead
	// then list the untrusted and dead repositories recorded to have it.
	CopiesChecked   bool
	Untrusted, Dead []KnownRepo
	// Err is set, and OK false, for an input that names nothing
	// (*NotFoundError).
	Err error
}

// Fsck checks annexed files (or keys) as `git annex fsck` does, in this
// order per item: the symlink target (fixed when wrong), the location log
// against the object's presence (fixed either way), an unlocked file still
// holding its pointer while the content is present (populated), the
// object's size and, unless Fast, its checksum (bad content is moved to
// .git/annex/bad and recorded as missing), then numcopies.
//
// For each item begin is called first and the reporter's Done last, from
// one of Jobs goroutines; items sharing a key are never checked at the same time. An
// item fails when content is missing or bad, or numcopies is not met.
// Finally the run is recorded in activity.log. The error is non-nil only
// when fsck could not proceed.
func (r *Repo) Fsck(ctx context.Context, opts FsckOptions, begin func(FsckItem) FsckReporter) error {
	fc, err := r.newFscker(ctx, opts)
	if err != nil {
		return err
	}
	defer fc.close()

	items := make(chan FsckItem)
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	jobs := max(1, opts.Jobs)
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range items {
				if err := fc.checkLocked(ctx, it, begin); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	send := func(it FsckItem) error {
		select {
		case items <- it:
			return nil
		case err := <-errs:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	enumErr := fc.enumerate(ctx, send, begin)
	close(items)
	wg.Wait()
	close(errs)
	if err := errors.Join(enumErr, <-errs); err != nil {
		return err
	}
	if err := fc.finish(ctx); err != nil {
		return err
	}
	now := r.now()
	return r.changeBranch(ctx, logs.ActivityLog, func(old []byte) []byte {
		return logs.SetUUIDLog(old, r.here, "Fsck", now)
	})
}

// enumerate sends the items to check.
func (fc *fscker) enumerate(ctx context.Context, send func(FsckItem) error, begin func(FsckItem) FsckReporter) error {
	r := fc.r
	switch {
	case len(fc.opts.Keys) > 0:
		for _, k := range fc.opts.Keys {
			if err := send(FsckItem{Key: k}); err != nil {
				return err
			}
		}
		return nil
	case fc.opts.All || (r.git.Bare && len(fc.opts.Inputs) == 0):
		keys, err := r.branchKeys(ctx)
		if err != nil {
			return err
		}
		for _, k := range keys {
			log, err := r.branch.Get(ctx, logs.LocationLogPath(k, r.cfg.BranchHash1))
			if err != nil {
				return err
			}
			if DeadLocationLog(log) {
				continue // as git-annex's --all: dead keys are left out
			}
			if err := send(FsckItem{Key: k}); err != nil {
				return err
			}
		}
		return nil
	}
	return r.Files(ctx, FilesOptions{Inputs: fc.opts.Inputs}, func(f AnnexedFile, err error) error {
		if err != nil {
			var nf *NotFoundError
			if errors.As(err, &nf) {
				it := FsckItem{File: f.Path, Input: f.Input}
				begin(it).Done(FsckResult{FsckItem: it, Err: err})
				return nil
			}
			return err
		}
		in := f.Input
		if len(fc.opts.Inputs) == 0 {
			in = f.Path // git-annex's input for a file found without arguments
		}
		return send(FsckItem{File: f.Path, Key: f.Key, Input: in})
	})
}

// branchKeys returns every key with a location log, in the order
// git-annex's --all visits them (Annex.Branch.overBranchFileContents):
// the files of the git-annex branch with the journal committed, in path
// order, then, when some repository is private, the keys of the private
// journal in directory order. A key whose log is both in the branch and
// in the private journal comes twice, as in git-annex.
func (r *Repo) branchKeys(ctx context.Context) ([]key.Key, error) {
	committed, private, err := r.keyLogPaths(ctx)
	if err != nil {
		return nil, err
	}
	return r.pathKeys(append(committed, private...), false), nil
}

// loggedKeys returns every key with a location log, in the order of
// git-annex's loggedKeys (Annex.Branch.files): the private journal's
// first, in directory order, then the branch's with the journal
// committed, each key once.
func (r *Repo) loggedKeys(ctx context.Context) ([]key.Key, error) {
	committed, private, err := r.keyLogPaths(ctx)
	if err != nil {
		return nil, err
	}
	return r.pathKeys(append(private, committed...), true), nil
}

// keyLogPaths returns the location log paths of the branch with the
// journal committed (committedKeyPaths) and those of the private journal.
func (r *Repo) keyLogPaths(ctx context.Context) (committed, private []string, err error) {
	if committed, err = r.committedKeyPaths(ctx); err != nil {
		return nil, nil, err
	}
	if private, err = r.branch.PrivateJournalled(); err != nil {
		return nil, nil, err
	}
	return committed, private, nil
}

// pathKeys returns the keys of the location log paths in order, each
// path once when once is set.
func (r *Repo) pathKeys(paths []string, once bool) []key.Key {
	seen := map[string]bool{}
	var out []key.Key
	for _, p := range paths {
		if once && seen[p] {
			continue
		}
		seen[p] = true
		if k, ok := logs.ParseLocationLogPath(p, r.cfg.BranchHash1); ok {
			out = append(out, k)
		}
	}
	return out
}

// committedKeyPaths lists the location log paths of the git-annex branch
// and the (public) journal, sorted, each once: the branch as it is once
// the journal is committed, as git-annex commits it before listing.
func (r *Repo) committedKeyPaths(ctx context.Context) ([]string, error) {
	seen := map[string]bool{}
	for e, err := range r.git.LsTree(ctx, "refs/heads/"+branchName) {
		if err != nil {
			if errors.Is(err, gitcmd.ErrNotFound) {
				break
			}
			return nil, fmt.Errorf("list keys in the git-annex branch: %w", err)
		}
		if _, ok := logs.ParseLocationLogPath(e.Path, r.cfg.BranchHash1); ok {
			seen[e.Path] = true
		}
	}
	journal, err := r.branch.Journalled()
	if err != nil {
		return nil, fmt.Errorf("list keys in the journal: %w", err)
	}
	for _, p := range journal {
		if _, ok := logs.ParseLocationLogPath(p, r.cfg.BranchHash1); ok {
			seen[p] = true
		}
	}
	paths := make([]string, 0, len(seen))
	for p := range seen {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths, nil
}

// branchName is the git-annex branch.
const branchName = "git-annex"

// fscker is the state of one fsck run.
type fscker struct {
	r     *Repo
	opts  FsckOptions
	repos *Repos
	num   policy.NumCopies

	keyLocks keyMutex

	mu        sync.Mutex
	attrs     *gitcmd.CheckAttr
	stage     *stager
	populated []string
}

func (r *Repo) newFscker(ctx context.Context, opts FsckOptions) (*fscker, error) {
	rs, err := r.Repos(ctx)
	if err != nil {
		return nil, err
	}
	num := policy.NumCopies(opts.NumCopies)
	if num <= 0 {
		if num, err = r.NumCopies(ctx); err != nil {
			return nil, err
		}
	}
	st, err := r.newStager(ctx)
	if err != nil {
		return nil, err
	}
	return &fscker{r: r, opts: opts, repos: rs, num: num, stage: st}, nil
}

// finish stages the fixed links and refreshes the populated files.
func (fc *fscker) finish(ctx context.Context) error {
	if err := fc.stage.flush(ctx); err != nil {
		return err
	}
	if len(fc.populated) > 0 {
		return fc.r.refreshIndex(ctx, fc.populated)
	}
	return nil
}

func (fc *fscker) close() {
	fc.stage.close()
	if fc.attrs != nil {
		_ = fc.attrs.Close()
	}
}

// numCopiesFor returns the numcopies for a file: --numcopies, else the
// annex.numcopies attribute, else the repository's setting.
func (fc *fscker) numCopiesFor(ctx context.Context, file string) (policy.NumCopies, error) {
	if fc.opts.NumCopies > 0 || file == "" {
		return fc.num, nil
	}
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.attrs == nil {
		a, err := fc.r.git.NewCheckAttr(context.WithoutCancel(ctx), "annex.numcopies")
		if err != nil {
			return 0, err
		}
		fc.attrs = a
	}
	vals, err := fc.attrs.Check(ctx, file)
	if err != nil {
		return 0, fmt.Errorf("check attributes of %s: %w", file, err)
	}
	if v, ok := vals["annex.numcopies"]; ok && v != gitcmd.AttrSet && v != gitcmd.AttrUnset {
		if n, err := policy.ParseNumCopies(v); err == nil {
			return n, nil
		}
	}
	return fc.num, nil
}

// keyMutex serialises work on one key.
type keyMutex struct {
	mu    sync.Mutex
	locks map[key.Key]*keyLockEntry
}

type keyLockEntry struct {
	mu   sync.Mutex
	refs int
}

func (m *keyMutex) lock(k key.Key) func() {
	m.mu.Lock()
	if m.locks == nil {
		m.locks = map[key.Key]*keyLockEntry{}
	}
	e := m.locks[k]
	if e == nil {
		e = &keyLockEntry{}
		m.locks[k] = e
	}
	e.refs++
	m.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		m.mu.Lock()
		if e.refs--; e.refs == 0 {
			delete(m.locks, k)
		}
		m.mu.Unlock()
	}
}

// userPath returns an absolute path as git-annex shows it: relative to the
// directory the command runs in.
func (r *Repo) userPath(abs string) string {
	if rel, err := filepath.Rel(r.paths.Cwd, abs); err == nil {
		return filepath.ToSlash(rel)
	}
	return abs
}

// desc is how messages name an item: the file as the user sees it, or the key.
func (fc *fscker) desc(it FsckItem) string {
	if it.File != "" {
		return fc.r.paths.ToUser(it.File)
	}
	return it.Key.String()
}

// joinLines indents nothing; it joins message lines with "\n".
func joinLines(lines ...string) string { return strings.Join(lines, "\n") }
