package annex

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/objectstore"
	"github.com/troveproject/trove/internal/pointer"
)

// AddOptions are the choices of `git annex add`.
type AddOptions struct {
	// Inputs are the command-line paths, relative to the work tree top; none
	// means the whole tree.
	Inputs []string
	// ForceLarge and ForceSmall override annex.largefiles.
	ForceLarge, ForceSmall bool
	// Update adds only files git already tracks (-u).
	Update bool
	// NoCheckGitignore adds files .gitignore would skip.
	NoCheckGitignore bool
	// Backend overrides annex.backend ("" = configured or SHA256E).
	Backend string
	// DryRun reports what would be done without changing anything.
	DryRun bool
	// Jobs is how many files are ingested at once (-J); < 1 means 1. With
	// more than one, results are reported in completion order unless
	// Ordered.
	Jobs int
	// Ordered reports results in enumeration order however many Jobs
	// run, as a sequential add would (the git-annex face overlaps files
	// without -J this way).
	Ordered bool
}

// AddResult is the outcome of adding one file.
type AddResult struct {
	File  string   // path relative to the work tree top
	Input []string // the command-line input the file was found through
	Key   key.Key  // zero when the file went to git
	// InGit is set when the file's content was added to git, not the annex.
	InGit bool
	// Warning is a problem add repaired on the way (the file was still
	// added), such as a corrupt copy of the same content in the annex.
	Warning string
	// Err is nil on success; a *NotFoundError for an input that names no
	// file; an *AddError for a file that could not be added (and was left
	// as it was).
	Err error
}

// stageFlushEvery bounds the index changes held in memory: a command adding
// more files than this stages them in batches (each batch rewrites the
// index once).
const stageFlushEvery = 50000

// Add annexes (or adds to git, by annex.largefiles) the new and modified
// files under opts.Inputs, reporting each through emit (never concurrently;
// in enumeration order unless opts.Jobs > 1).
//
// Content is ingested atomically and each work tree file is replaced by its
// symlink in one rename, so a process killed at any point leaves every file
// either as it was or as a symlink to a complete object; running add again
// finishes the job. The index is updated in batches at the end (also when
// ctx is cancelled, for what was already ingested). If git's index is
// locked, Add fails with an *IndexLockedError before changing anything.
// The returned error is non-nil only when add could not proceed; per-file
// failures are reported through emit.
func (r *Repo) Add(ctx context.Context, opts AddOptions, emit func(AddResult)) error {
	if r.git.Top == "" {
		return errors.New("add: this is a bare repository; run add in a clone with a work tree")
	}
	if err := r.checkIndexUnlocked(); err != nil {
		return err
	}
	b, err := r.backendFor(opts.Backend)
	if err != nil {
		return err
	}
	st, err := r.newStager(ctx)
	if err != nil {
		return err
	}
	defer st.close()
	largeness, err := r.newLargeFiles(ctx, opts.ForceLarge, opts.ForceSmall)
	if err != nil {
		return err
	}
	defer largeness.close()
	a := &adder{r: r, opts: opts, b: b, lf: largeness, st: st, emit: emit}
	runErr := a.run(ctx)
	// Stage what was ingested even when interrupted: those files are
	// symlinks in the work tree already.
	flushErr := st.flush(context.WithoutCancel(ctx))
	return errors.Join(runErr, flushErr)
}

// adder is one run of Add.
type adder struct {
	r    *Repo
	opts AddOptions
	b    *backend.Backend
	lf   *largeFiles
	st   *stager

	mu   sync.Mutex // serialises emit
	emit func(AddResult)

	// With opts.Ordered: results wait in held until every earlier one
	// is emitted; window bounds how many are numbered and not yet
	// emitted.
	seq, next int
	held      map[int]AddResult
	window    chan struct{}
}

// orderWindow is how many files an ordered add may work on ahead of its
// output.
const orderWindow = 1024

// job is a file to add, found through input; seq numbers it in
// enumeration order.
type job struct {
	c     candidate
	input string
	seq   int
}

// run enumerates the candidates and adds them with opts.Jobs workers.
func (a *adder) run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if a.opts.Ordered {
		a.held = map[int]AddResult{}
		a.window = make(chan struct{}, orderWindow)
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range max(1, a.opts.Jobs) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				a.reportAt(j.seq, a.addJob(ctx, j))
			}
		}()
	}
	enumErr := a.enumerate(ctx, func(j job) error {
		seq, err := a.number(ctx)
		if err != nil {
			return err
		}
		j.seq = seq
		select {
		case jobs <- j:
			return nil
		case <-ctx.Done():
			a.reportAt(seq, AddResult{File: j.c.path, Input: []string{j.input}, Err: &AddError{Path: j.c.path, Err: ctx.Err()}})
			return ctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	if enumErr != nil {
		return enumErr
	}
	return ctx.Err()
}

// number returns the next result's sequence number, waiting while an
// ordered add holds a full window of results.
func (a *adder) number(ctx context.Context) (int, error) {
	if a.window != nil {
		select {
		case a.window <- struct{}{}:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seq++
	return a.seq, nil
}

// report emits a result found by the enumeration itself.
func (a *adder) report(ctx context.Context, res AddResult) error {
	seq, err := a.number(ctx)
	if err != nil {
		return err
	}
	a.reportAt(seq, res)
	return nil
}

// reportAt emits res, the result numbered seq: at once, or in an ordered
// add once every earlier result is emitted. emit is never called
// concurrently.
func (a *adder) reportAt(seq int, res AddResult) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.held == nil {
		a.emit(res)
		return
	}
	a.held[seq] = res
	for {
		r, ok := a.held[a.next+1]
		if !ok {
			return
		}
		delete(a.held, a.next+1)
		a.next++
		a.emit(r)
		<-a.window
	}
}

// enumerate sends every candidate of every input, and reports inputs that
// name nothing.
func (a *adder) enumerate(ctx context.Context, send func(job) error) error {
	inputs := a.opts.Inputs
	if len(inputs) == 0 {
		inputs = []string{"."}
	}
	for _, in := range inputs {
		found := false
		err := a.r.addCandidates(ctx, in, a.opts, func(c candidate) error {
			found = true
			if isLinkTemp(c.path) {
				a.r.removeStaleLinkTemp(c.path)
				return nil
			}
			if err := send(job{c: c, input: in}); err != nil {
				return err
			}
			return a.maybeFlush(ctx)
		})
		if err != nil {
			return err
		}
		if !found {
			if _, err := os.Lstat(a.r.paths.Abs(in)); errors.Is(err, fs.ErrNotExist) {
				if err := a.report(ctx, AddResult{File: in, Input: []string{in}, Err: &NotFoundError{Path: in}}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// maybeFlush stages the pending index changes once there are many.
func (a *adder) maybeFlush(ctx context.Context) error {
	if a.st.pending() < stageFlushEvery {
		return nil
	}
	return a.st.flush(ctx)
}

// addJob adds one file and returns its result.
func (a *adder) addJob(ctx context.Context, j job) AddResult {
	res := AddResult{File: j.c.path, Input: []string{j.input}}
	if a.opts.DryRun {
		return res
	}
	if err := ctx.Err(); err != nil {
		res.Err = &AddError{Path: j.c.path, Err: err}
		return res
	}
	out, err := a.r.addOne(ctx, j.c, a.b, a.lf, a.st)
	res.Key, res.InGit, res.Warning = out.key, out.inGit, out.warning
	if err != nil {
		res.Err = &AddError{Path: j.c.path, Err: err}
	}
	return res
}

// NotFoundError reports a command-line path that names no file.
type NotFoundError struct{ Path string }

func (e *NotFoundError) Error() string { return e.Path + " not found" }

// AddError reports a file add could not add; the file was left as it was.
// Err is the cause: it wraps objectstore.ErrModified when the file changed
// while it was read, fs.ErrPermission when it could not be read.
type AddError struct {
	Path string // relative to the work tree top
	Err  error
}

func (e *AddError) Error() string { return e.Message(e.Path) }

// Unwrap returns the cause.
func (e *AddError) Unwrap() error { return e.Err }

// Message is the explanation shown to the user, naming the file as
// userPath (the path as the user gave it): what went wrong, that the file
// is intact, and the command to run next.
func (e *AddError) Message(userPath string) string {
	again := "git annex add " + shellQuote(userPath)
	switch {
	case errors.Is(e.Err, objectstore.ErrModified):
		return fmt.Sprintf("%s changed while it was being added, so it was left as it is; run `%s` again once nothing is writing to it", userPath, again)
	case errors.Is(e.Err, fs.ErrPermission):
		return fmt.Sprintf("cannot read %s: permission denied; it was left as it is; make it readable (`chmod u+r %s`) and run `%s` again", userPath, shellQuote(userPath), again)
	case errors.Is(e.Err, context.Canceled):
		return fmt.Sprintf("%s was not added: interrupted; run `%s` again", userPath, again)
	}
	return fmt.Sprintf("cannot add %s: %v; it was left as it is; fix the cause and run `%s` again", userPath, e.Err, again)
}

// IndexLockedError reports that git's index is locked, so add cannot
// stage anything: another git command is running, or one was killed and
// left its lock file behind.
type IndexLockedError struct {
	Lock string // absolute path of the lock file
}

func (e *IndexLockedError) Error() string {
	return fmt.Sprintf("git's index is locked: %s exists, because another git command is running or one was killed; "+
		"if no git command is running, remove it with `rm %s` and run the command again (files already added stay added)",
		e.Lock, shellQuote(e.Lock))
}

// checkIndexUnlocked fails with an *IndexLockedError when git's index lock
// file exists.
func (r *Repo) checkIndexUnlocked() error {
	lock := filepath.Join(r.git.GitDir, "index.lock")
	if _, err := os.Lstat(lock); err == nil {
		return &IndexLockedError{Lock: lock}
	}
	return nil
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(c rune) bool {
		return !(c == '/' || c == '.' || c == '-' || c == '_' || c == '+' || c == ',' || c == ':' ||
			c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// candidate is a file add should consider.
type candidate struct {
	path string // relative to the top
	// wasUnlocked is set for a modified file whose index entry is a pointer:
	// it stays annexed even when annex.largefiles would keep it in git.
	wasUnlocked bool
	// tracked is set when git already tracks the path.
	tracked bool
}

// addCandidates lists, for one input path, the untracked files (unless
// Update) and the tracked files whose work tree content changed.
func (r *Repo) addCandidates(ctx context.Context, in string, opts AddOptions, fn func(candidate) error) error {
	g := r.git.NoFilter()
	if !opts.Update {
		args := []string{"ls-files", "-z", "--others"}
		if !opts.NoCheckGitignore {
			args = append(args, "--exclude-standard")
		}
		args = append(args, "--", in)
		for p, err := range g.LsFiles(ctx, args[1:]...) {
			if err != nil {
				return err
			}
			if err := fn(candidate{path: p}); err != nil {
				return err
			}
		}
	}
	// Tracked files whose content changed; unlocked files show up here
	// after being modified.
	return r.modifiedCandidates(ctx, in, fn)
}

// modifiedCandidates reports tracked files whose work tree content differs
// from the index, using git ls-files --modified. A file whose index entry
// is an annex pointer is reported as wasUnlocked.
func (r *Repo) modifiedCandidates(ctx context.Context, in string, fn func(candidate) error) error {
	g := r.git.NoFilter()
	var paths []string
	for p, err := range g.LsFiles(ctx, "-z", "--modified", "--", in) {
		if err != nil {
			return err
		}
		paths = append(paths, p)
	}
	if len(paths) == 0 {
		return nil
	}
	staged := map[string]bool{}
	err := r.indexFiles(ctx, paths, func(f AnnexedFile) error {
		staged[f.Path] = f.Unlocked
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range paths {
		if _, err := os.Lstat(r.paths.Abs(p)); err != nil {
			continue // deleted: nothing to add
		}
		unlocked := staged[p]
		if err := fn(candidate{path: p, wasUnlocked: unlocked, tracked: true}); err != nil {
			return err
		}
	}
	return nil
}

// added is what addOne did with a file.
type added struct {
	key     key.Key
	inGit   bool
	warning string
}

// addOne adds one candidate file. On error the file is left as it was.
func (r *Repo) addOne(ctx context.Context, c candidate, b *backend.Backend, lf *largeFiles, st *stager) (added, error) {
	abs := r.paths.Abs(c.path)
	fi, err := os.Lstat(abs)
	if err != nil {
		return added{}, err
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return r.addSymlink(ctx, c.path, st)
	case !fi.Mode().IsRegular():
		return added{}, errors.New("not a regular file")
	}
	large, err := lf.isLarge(ctx, c.path, fi.Size())
	if err != nil {
		return added{}, err
	}
	if !large && !c.wasUnlocked {
		return added{inGit: true}, st.addPath(c.path)
	}
	// A modified unlocked file is locked again unless annex.addunlocked
	// says otherwise, as git-annex does.
	if lf.addUnlocked(c.path, fi.Size()) {
		return r.addUnlocked(ctx, c.path, fi, b, st)
	}
	return r.addLocked(ctx, c.path, fi, b, st)
}

// addSymlink stages a symlink git does not track yet. An annex link (moved,
// or left by an interrupted add) gets its target fixed for its place and
// its content, when present, recorded in the location log again.
func (r *Repo) addSymlink(ctx context.Context, path string, st *stager) (added, error) {
	target, err := os.Readlink(r.paths.Abs(path))
	if err != nil {
		return added{}, err
	}
	k, ok := pointer.ParseLink(target)
	if !ok {
		return added{inGit: true}, st.addPath(path)
	}
	if target, err = r.placeLink(path, k); err != nil {
		return added{}, err
	}
	if ok, err := r.objects.Has(k); err == nil && ok {
		if err := r.logPresent(ctx, k); err != nil {
			return added{}, err
		}
	}
	return added{key: k}, st.addBlob(ctx, path, "120000", []byte(target))
}

// addUnlocked annexes a copy of the file and stages its pointer; the work
// tree file is not touched.
func (r *Repo) addUnlocked(ctx context.Context, path string, fi fs.FileInfo, b *backend.Backend, st *stager) (added, error) {
	abs := r.paths.Abs(path)
	k, err := r.objects.IngestCopy(ctx, abs, b, path, r.maxExtLen())
	if err != nil {
		return added{}, err
	}
	var warning string
	// The file keeps its content, so a corrupt object of the same key
	// loses nothing now; a size check finds the common corruptions cheaply.
	if err := r.objects.Verify(ctx, k, true); errors.Is(err, objectstore.ErrBadContent) {
		if warning, err = r.replaceBadObject(ctx, k, path); err != nil {
			return added{}, err
		}
		if _, err := r.objects.IngestCopy(ctx, abs, b, path, r.maxExtLen()); err != nil {
			return added{}, err
		}
	}
	if err := r.logPresent(ctx, k); err != nil {
		return added{}, err
	}
	mode := "100644"
	if fi.Mode()&0o111 != 0 {
		mode = "100755"
	}
	return added{key: k, warning: warning}, st.addBlob(ctx, path, mode, pointer.File(k))
}

// addLocked moves the file's content into the annex and replaces the file
// with a symlink to it.
func (r *Repo) addLocked(ctx context.Context, path string, fi fs.FileInfo, b *backend.Backend, st *stager) (added, error) {
	abs := r.paths.Abs(path)
	k, err := r.objects.IngestMove(ctx, abs, b, path, r.maxExtLen())
	if err != nil {
		return added{}, err
	}
	// Replacing the file with a link drops its content, so make sure the
	// object holds it: it does when it is the file's own inode (the usual
	// case); an object that was there before must verify.
	warning, err := r.checkExistingObject(ctx, k, path, fi)
	if err != nil {
		return added{}, err
	}
	if warning != "" {
		if k, err = r.objects.IngestMove(ctx, abs, b, path, r.maxExtLen()); err != nil {
			return added{}, err
		}
	}
	target := pointer.LinkTarget(path, k, r.objects.HashDir(k))
	if err := r.linkOver(path, target); err != nil {
		return added{}, err
	}
	if err := r.logPresent(ctx, k); err != nil {
		return added{}, err
	}
	return added{key: k, warning: warning}, st.addBlob(ctx, path, "120000", []byte(target))
}

// checkExistingObject verifies k's object unless it is the work tree file
// at path (whose Lstat before the ingest was fi) itself. A corrupt object
// is moved to .git/annex/bad and a warning returned; the caller then
// ingests the file again.
func (r *Repo) checkExistingObject(ctx context.Context, k key.Key, path string, fi fs.FileInfo) (string, error) {
	if ofi, err := os.Stat(r.objects.ObjectPath(k)); err == nil && os.SameFile(ofi, fi) {
		return "", nil
	}
	if err := r.objects.Verify(ctx, k, false); !errors.Is(err, objectstore.ErrBadContent) {
		return "", err
	}
	return r.replaceBadObject(ctx, k, path)
}

// replaceBadObject moves k's corrupt object out of the way and returns the
// warning that says so.
func (r *Repo) replaceBadObject(ctx context.Context, k key.Key, path string) (string, error) {
	bad, err := r.objects.MoveToBad(ctx, k)
	if err != nil {
		return "", fmt.Errorf("the annexed copy of its content (%s) is corrupt and could not be moved aside: %w", k, err)
	}
	return fmt.Sprintf("the annexed copy of %s's content was corrupt; it was moved to %s and replaced by %s; "+
		"run `git annex fsck` to check the other files", path, bad, path), nil
}

// writeLink makes the work tree file at repoPath a symlink to k's object,
// replacing whatever is there atomically (a temporary link renamed over it).
func (r *Repo) writeLink(repoPath string, k key.Key) error {
	_, err := r.placeLink(repoPath, k)
	return err
}

// linkTempSuffix ends the names of the temporary links placeLink made in
// the work tree before they were made in .git/annex/othertmp.
const linkTempSuffix = ".trove-link"

// linkSeq numbers temporary links.
var linkSeq atomic.Uint64

// placeLink is writeLink returning the link target. The temporary link is
// made in .git/annex/othertmp, so a process killed before the rename leaves
// nothing in the work tree; only when othertmp is on another file system is
// it made beside the file.
func (r *Repo) placeLink(repoPath string, k key.Key) (string, error) {
	target := pointer.LinkTarget(repoPath, k, r.objects.HashDir(k))
	if old, err := os.Readlink(r.paths.Abs(repoPath)); err == nil && old == target {
		return target, nil
	}
	return target, r.linkOver(repoPath, target)
}

// linkOver replaces the work tree file at repoPath by a symlink to target
// in one rename.
func (r *Repo) linkOver(repoPath, target string) error {
	abs := r.paths.Abs(repoPath)
	tmpDir := filepath.Join(annexDir(r.git), "othertmp")
	tmp := filepath.Join(tmpDir, "link."+strconv.Itoa(os.Getpid())+"."+strconv.FormatUint(linkSeq.Add(1), 10))
	err := os.Symlink(target, tmp)
	if errors.Is(err, fs.ErrNotExist) {
		if err = os.MkdirAll(tmpDir, 0o755); err == nil {
			err = os.Symlink(target, tmp)
		}
	}
	if err == nil {
		err = os.Rename(tmp, abs)
		if errors.Is(err, syscall.EXDEV) {
			_ = os.Remove(tmp)
			return r.placeLinkBeside(abs, target)
		}
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("link %s: %w", repoPath, err)
	}
	return nil
}

// placeLinkBeside replaces abs by a link through a temporary link in the
// same directory.
func (r *Repo) placeLinkBeside(abs, target string) error {
	tmp := filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+linkTempSuffix)
	err := os.Symlink(target, tmp)
	if errors.Is(err, fs.ErrExist) {
		_ = os.Remove(tmp)
		err = os.Symlink(target, tmp)
	}
	if err == nil {
		err = os.Rename(tmp, abs)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("link %s: %w", abs, err)
	}
	return nil
}

// isLinkTemp reports whether a work tree path has the name of a temporary
// link placeLinkBeside makes.
func isLinkTemp(p string) bool {
	base := p[strings.LastIndexByte(p, '/')+1:]
	return strings.HasPrefix(base, ".") && strings.HasSuffix(base, linkTempSuffix) && len(base) > len(linkTempSuffix)+1
}

// removeStaleLinkTemp removes a temporary link left in the work tree by a
// killed add: it is an annex symlink that must not be committed.
func (r *Repo) removeStaleLinkTemp(p string) {
	abs := r.paths.Abs(p)
	if target, err := os.Readlink(abs); err == nil {
		if _, ok := pointer.ParseLink(target); ok {
			_ = os.Remove(abs)
		}
	}
}

// isDotfile reports whether any component of a repository path starts with
// a dot, which git-annex adds to git unless annex.dotfiles is set.
func isDotfile(p string) bool {
	for _, c := range strings.Split(p, "/") {
		if strings.HasPrefix(c, ".") && c != "." && c != ".." {
			return true
		}
	}
	return false
}
