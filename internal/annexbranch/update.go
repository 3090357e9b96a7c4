package annexbranch

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/gitcmd"
)

// Update merges every sibling */git-annex ref (refs/remotes/*/git-annex,
// synced/git-annex, ...) that has commits the branch lacks and that is not
// listed in .git/annex/ignoredrefs or already in .git/annex/mergedrefs. The
// journal is committed in the same commit. When the journal is empty and one
// ref contains the branch and all the others, the branch is fast-forwarded;
// otherwise the refs are union-merged into .git/annex/index and committed as
// "merging A B into git-annex". It reports whether the branch changed. A
// missing branch is created first (see Create).
func (b *Branch) Update(ctx context.Context) (bool, error) {
	merged, err := b.UpdateMerged(ctx)
	return len(merged) > 0, err
}

// UpdateMerged is Update that names the refs it merged, shortened as
// git-annex shows them in "(merging origin/git-annex into git-annex...)";
// none when the branch did not change.
func (b *Branch) UpdateMerged(ctx context.Context) ([]string, error) {
	if err := b.Create(ctx); err != nil {
		return nil, err
	}
	unlock, err := b.lockJournal(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	branch, err := b.Sha(ctx)
	if err != nil {
		return nil, err
	}
	refs, err := b.unmergedRefs(ctx, branch)
	if err != nil || len(refs) == 0 {
		return nil, err
	}
	entries, err := b.listJournal()
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		if tip, ok, err := b.fastForwardTarget(ctx, branch, refs); err != nil {
			return nil, err
		} else if ok {
			if err := b.repo.UpdateRef(ctx, Ref, tip, branch); err != nil {
				return nil, fmt.Errorf("fast-forward git-annex branch: %w", err)
			}
			if err := b.advanceIndex(ctx, branch, tip); err != nil {
				return nil, err
			}
			return describeRefs(refs), b.recordMerged(refs)
		}
	}
	shas := make([]string, len(refs))
	for i, r := range refs {
		shas[i] = r.SHA
	}
	names := describeRefs(refs)
	msg := "merging " + strings.Join(names, " ") + " into " + Name
	if err := b.commitLocked(ctx, entries, nil, shas, msg); err != nil {
		return nil, err
	}
	return names, b.recordMerged(refs)
}

// describeRefs shortens the names of refs.
func describeRefs(refs []gitcmd.Ref) []string {
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = describeRef(r.Name)
	}
	return names
}

// describeRef shortens a ref as git-annex's Git.Ref.describe does.
func describeRef(name string) string {
	name = strings.TrimPrefix(name, "refs/heads/")
	return strings.TrimPrefix(name, "refs/remotes/")
}

// unmergedRefs lists the sibling refs worth merging, deduplicated by sha.
func (b *Branch) unmergedRefs(ctx context.Context, branch string) ([]gitcmd.Ref, error) {
	all, err := b.repo.ShowRef(ctx, Name)
	if err != nil {
		return nil, err
	}
	skip, err := b.readShaSet("ignoredrefs")
	if err != nil {
		return nil, err
	}
	merged, err := b.readShaSet("mergedrefs")
	if err != nil {
		return nil, err
	}
	var out []gitcmd.Ref
	for _, r := range all {
		if r.Name == Ref || skip[r.SHA] || merged[r.SHA] || r.SHA == branch {
			continue
		}
		skip[r.SHA] = true
		in, err := b.repo.IsAncestor(ctx, r.SHA, branch)
		if err != nil {
			return nil, err
		}
		if !in {
			out = append(out, r)
		}
	}
	return out, nil
}

// fastForwardTarget returns the ref that contains the branch and every
// other ref, if there is one.
func (b *Branch) fastForwardTarget(ctx context.Context, branch string, refs []gitcmd.Ref) (string, bool, error) {
	for _, cand := range refs {
		ok, err := b.repo.IsAncestor(ctx, branch, cand.SHA)
		for _, other := range refs {
			if err != nil || !ok {
				break
			}
			ok, err = b.repo.IsAncestor(ctx, other.SHA, cand.SHA)
		}
		if err != nil {
			return "", false, err
		}
		if ok {
			return cand.SHA, true, nil
		}
	}
	return "", false, nil
}

// readShaSet reads the first field of each line of a state file under
// .git/annex ("SHA" or "SHA<TAB>REF" lines). A missing file is empty.
func (b *Branch) readShaSet(name string) (map[string]bool, error) {
	set := map[string]bool{}
	data, err := os.ReadFile(filepath.Join(b.annexDir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return set, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) > 0 {
			set[f[0]] = true
		}
	}
	return set, nil
}

// recordMerged updates .git/annex/mergedrefs ("SHA<TAB>REF" lines, the
// newest sha per ref).
func (b *Branch) recordMerged(refs []gitcmd.Ref) error {
	p := filepath.Join(b.annexDir, "mergedrefs")
	data, err := os.ReadFile(p)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read %s: %w", p, err)
	}
	latest := map[string]bool{}
	for _, r := range refs {
		latest[r.Name] = true
	}
	var out bytes.Buffer
	for line := range strings.Lines(string(data)) {
		_, ref, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		if ok && !latest[ref] {
			out.WriteString(strings.TrimSuffix(line, "\n") + "\n")
		}
	}
	for _, r := range refs {
		out.WriteString(r.SHA + "\t" + r.Name + "\n")
	}
	if err := fsutil.WriteFileAtomic(p, out.Bytes(), filePerm, ""); err != nil {
		return fmt.Errorf("record merged refs: %w", err)
	}
	return nil
}

// advanceIndex moves .git/annex/index from commit from to its descendant to.
// An index that reflects from holds nothing else, so it is replaced (which
// keeps deletions made by transitions); any other index is union-merged.
func (b *Branch) advanceIndex(ctx context.Context, from, to string) error {
	cur, err := os.ReadFile(filepath.Join(b.annexDir, "index.lck"))
	if err != nil || strings.TrimSpace(string(cur)) != from {
		_, err := b.syncIndex(ctx, to)
		return err
	}
	if err := b.index.ReadTree(ctx, to); err != nil {
		return fmt.Errorf("read %s into git-annex index: %w", to, err)
	}
	return b.writeIndexStatus(to)
}
