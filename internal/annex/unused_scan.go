package annex

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/lockfile"
	"github.com/troveproject/trove/internal/pointer"
)

// keySet is the candidates still believed unused, in their original order.
type keySet struct {
	order []key.Key
	left  map[key.Key]bool
}

func newKeySet(ks []key.Key) *keySet {
	s := &keySet{order: ks, left: make(map[key.Key]bool, len(ks))}
	for _, k := range ks {
		s.left[k] = true
	}
	return s
}

// use marks k as referenced.
func (s *keySet) use(k key.Key) { delete(s.left, k) }

func (s *keySet) empty() bool { return len(s.left) == 0 }

// remaining returns the keys never used, in the original order.
func (s *keySet) remaining() []key.Key {
	var out []key.Key
	for _, k := range s.order {
		if s.left[k] {
			out = append(out, k)
			delete(s.left, k) // a key listed twice is reported once
		}
	}
	return out
}

// excludeReferenced returns the keys of ks that nothing references, in
// their order, as git-annex's excludeReferenced does: first the work tree
// and index (files git knows, untracked annex symlinks, unstaged link
// changes), then, only if keys remain, every blob of the refs spec selects.
// note is told "checking REF" for each ref examined.
func (r *Repo) excludeReferenced(ctx context.Context, spec RefSpec, ks []key.Key, note func(string)) ([]key.Key, error) {
	set := newKeySet(ks)
	if !r.git.Bare && !set.empty() {
		if err := r.worktreeKeys(ctx, set.use); err != nil {
			return nil, err
		}
	}
	if set.empty() {
		return nil, nil
	}
	refs, err := r.usedRefs(ctx, spec)
	if err != nil {
		return nil, err
	}
	shas := make([]string, 0, len(refs))
	for _, ref := range refs {
		note("checking " + describeUsedRef(ref.Name))
		shas = append(shas, ref.SHA)
	}
	if err := r.refKeys(ctx, shas, set.use); err != nil {
		return nil, err
	}
	return set.remaining(), nil
}

// worktreeKeys calls use for every key the index refers to, and for the
// annex symlinks in the work tree that differ from the index or are not
// in it.
func (r *Repo) worktreeKeys(ctx context.Context, use func(key.Key)) error {
	look, err := r.newKeyLookup(ctx)
	if err != nil {
		return err
	}
	defer look.close()
	for e, err := range r.git.LsFilesStage(ctx) {
		if err != nil {
			return fmt.Errorf("list the index: %w", err)
		}
		f, ok, err := look.lookup(ctx, e)
		if err != nil {
			return err
		}
		if ok {
			use(f.Key)
		}
		if e.Mode != "120000" {
			continue
		}
		// lookup read the work tree link; when it is not what the index
		// has, the index's link counts too.
		if target, ok := look.readlink(r.paths.Abs(e.Path)); ok && gitcmd.HashBlob(r.git.ObjectFormat, []byte(target)) == e.SHA {
			continue
		}
		data, _, err := look.blob(ctx, e.SHA)
		if err != nil {
			return err
		}
		if k, ok := pointer.Parse(data); ok {
			use(k)
		}
	}
	for p, err := range r.git.LsFiles(ctx, "--others", "--") {
		if err != nil {
			return fmt.Errorf("list untracked files: %w", err)
		}
		if target, ok := look.readlink(r.paths.Abs(p)); ok {
			if k, ok := pointer.ParseLink(target); ok {
				use(k)
			}
		}
	}
	return nil
}

// usedRef is a ref whose tree counts as using content.
type usedRef struct{ Name, SHA string }

// usedRefs lists the refs spec selects, as git-annex does: every ref of
// `git show-ref` except */git-annex, refs/synced/*, refs/annex/* and view
// branches, one per distinct commit, filtered by spec; HEAD first when it
// is not among them (detached, or a branch show-ref does not list).
// Names that do not resolve (an unborn HEAD) are left out.
func (r *Repo) usedRefs(ctx context.Context, spec RefSpec) ([]usedRef, error) {
	all, err := r.git.ShowRef(ctx)
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	var relevant []gitcmd.Ref
	for _, ref := range all {
		if strings.HasSuffix(ref.Name, "/"+branchName) || strings.HasPrefix(ref.Name, "refs/synced/") ||
			strings.HasPrefix(ref.Name, "refs/annex/") || isViewBranch(ref.Name) {
			continue
		}
		relevant = append(relevant, ref)
	}
	headSHA := ""
	if cur, err := r.git.CurrentBranch(ctx); err == nil && cur != "" {
		headSHA, _ = r.git.RevParse(ctx, cur)
	}
	haveHead := false
	seen := map[string]bool{}
	var names []string
	sha := map[string]string{}
	for _, ref := range relevant {
		if headSHA != "" && ref.SHA == headSHA {
			haveHead = true
		}
		if seen[ref.SHA] {
			continue
		}
		seen[ref.SHA] = true
		names = append(names, ref.Name)
		sha[ref.Name] = ref.SHA
	}
	selected, err := spec.apply(names, func() ([]string, error) { return r.reflogCommits(ctx, names) })
	if err != nil {
		return nil, err
	}
	if !haveHead {
		selected = append([]string{"HEAD"}, selected...)
	}
	var out []usedRef
	for _, name := range selected {
		s, ok := sha[name]
		if !ok {
			if s, err = r.git.RevParse(ctx, name); err != nil {
				continue
			}
		}
		out = append(out, usedRef{Name: name, SHA: s})
	}
	return out, nil
}

// isViewBranch reports a git-annex view branch (refs/heads/views/...).
func isViewBranch(name string) bool { return strings.HasPrefix(name, "refs/heads/views/") }

// reflogCommits lists the commits in the reflogs of refs, newest first.
func (r *Repo) reflogCommits(ctx context.Context, refs []string) ([]string, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	out, err := r.git.Run(ctx, append([]string{"log", "-g", "--format=%H"}, refs...)...)
	if err != nil {
		return nil, fmt.Errorf("read the reflogs: %w", err)
	}
	return strings.Fields(string(out)), nil
}

// describeUsedRef shows a ref as git-annex's Git.Ref.describe does:
// without refs/heads/ or refs/remotes/.
func describeUsedRef(name string) string {
	if s, ok := strings.CutPrefix(name, "refs/heads/"); ok {
		return s
	}
	if s, ok := strings.CutPrefix(name, "refs/remotes/"); ok {
		return s
	}
	return name
}

// refKeys calls use for the key of every blob, small enough to be a
// pointer or link, in the trees of the commits (or trees) given. One
// `git rev-list --objects --no-walk` lists each distinct blob once, however
// many commits share a tree, and one `git cat-file --batch` reads them with
// many requests in flight.
func (r *Repo) refKeys(ctx context.Context, shas []string, use func(key.Key)) error {
	if len(shas) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cat, err := r.git.NewCatFilePipe(ctx)
	if err != nil {
		return err
	}
	defer cat.Close()
	given := make(map[string]bool, len(shas))
	for _, s := range shas {
		given[s] = true
	}
	pr, pw := io.Pipe()
	var listErr error
	listed := make(chan struct{})
	go func() {
		defer close(listed)
		var stderr bytes.Buffer
		args := append([]string{"rev-list", "--objects", "--no-object-names", "--no-walk",
			"--filter=blob:limit=" + strconv.Itoa(pointer.MaxSize+1), "--filter=object:type=blob"}, shas...)
		err := r.git.RunTo(ctx, pw, &stderr, args...)
		if err != nil {
			listErr = fmt.Errorf("list the blobs of %d refs: %w: %s", len(shas), err, strings.TrimSpace(stderr.String()))
		}
		pw.CloseWithError(err)
	}()
	var scanErr error
	blobs := func(yield func(string) bool) {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if name := sc.Text(); !given[name] && !yield(name) { // not the commits themselves
				break
			}
		}
		scanErr = sc.Err()
		pr.CloseWithError(context.Canceled) // stops rev-list if we stopped early
	}
	err = cat.ReadAll(ctx, blobs, func(_ string, obj gitcmd.Object, found bool) error {
		if found && obj.Type == "blob" {
			if k, ok := pointer.Parse(obj.Data); ok {
				use(k)
			}
		}
		return nil
	})
	if err != nil {
		cancel()
	}
	<-listed
	switch {
	case err != nil:
		return err
	case ctx.Err() != nil:
		return ctx.Err()
	case listErr != nil:
		return listErr
	}
	return scanErr
}

// unusedStaleKeys lists the keys of the files in .git/annex/bad or
// .git/annex/tmp (dir), in key order, as git-annex's staleKeysPrune
// does: a file whose key is also present in the object store is removed,
// not listed; with skipTransfers, keys being downloaded right now (their
// transfer lock held) are left out.
func (r *Repo) unusedStaleKeys(ctx context.Context, dir string, skipTransfers bool) ([]key.Key, error) {
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	ents, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	var out []key.Key
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		k, err := key.FromFile(e.Name())
		if err != nil {
			continue
		}
		has, err := r.objects.Has(k)
		if err != nil {
			return nil, err
		}
		if has {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("remove stale %s: %w", e.Name(), err)
			}
			continue
		}
		if skipTransfers && r.downloading(k) {
			continue
		}
		out = append(out, k)
	}
	slices.SortFunc(out, compareKeys)
	return out, nil
}

// downloading reports whether some process holds a download transfer lock
// on k (from any remote), as git-annex's getTransfers finds running ones.
func (r *Repo) downloading(k key.Key) bool {
	dir := filepath.Join(annexDir(r.git), "transfer", "download")
	ents, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range ents {
		l, err := lockfile.OpenExisting(filepath.Join(dir, e.Name(), "lck."+k.File()))
		if err != nil {
			continue
		}
		held, err := l.Test()
		l.Close()
		if err == nil && held {
			return true
		}
	}
	return false
}
