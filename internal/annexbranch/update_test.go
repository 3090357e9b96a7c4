package annexbranch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// clonePair makes repository a (git-annex init) and its clone b (init too),
// each knowing the other as a remote.
func clonePair(t *testing.T) (aDir, bDir string) {
	t.Helper()
	aDir, _ = annexRepo(t, "repo a")
	run(t, aDir, "git", "commit", "-q", "--allow-empty", "-m", "start")
	bDir = filepath.Join(t.TempDir(), "b")
	run(t, aDir, "git", "clone", "-q", aDir, bDir)
	run(t, bDir, "git", "annex", "init", "-q", "repo b")
	run(t, aDir, "git", "remote", "add", "b", bDir)
	return aDir, bDir
}

func TestUpdateMergesSibling(t *testing.T) {
	aDir, bDir := clonePair(t)
	ctx := context.Background()
	run(t, aDir, "git", "annex", "describe", "here", "a described in a")
	run(t, bDir, "git", "annex", "describe", "here", "b described in b")
	run(t, aDir, "git", "fetch", "-q", "b")

	a := discover(t, aDir)
	br := openBranch(t, a)
	if err := br.Change(ctx, "trove.log", appendLine("journalled")); err != nil {
		t.Fatal(err)
	}
	changed, err := br.Update(ctx)
	if err != nil || !changed {
		t.Fatalf("Update = %v, %v", changed, err)
	}
	if msg := run(t, aDir, "git", "log", "-1", "--format=%s %P", "git-annex"); !strings.HasPrefix(msg, "merging b/git-annex into git-annex ") || strings.Count(msg, " ") != 5 {
		t.Errorf("merge commit = %q", msg)
	}
	uuids := run(t, aDir, "git", "cat-file", "blob", "git-annex:uuid.log")
	for _, want := range []string{"a described in a", "b described in b"} {
		if !strings.Contains(uuids, want) {
			t.Errorf("uuid.log lacks %q:\n%s", want, uuids)
		}
	}
	if got := run(t, aDir, "git", "cat-file", "blob", "git-annex:trove.log"); got != "journalled" {
		t.Errorf("journal not in the merge commit: %q", got)
	}
	bSha := run(t, aDir, "git", "rev-parse", "refs/remotes/b/git-annex")
	if m, _ := os.ReadFile(filepath.Join(a.GitDir, "annex", "mergedrefs")); !strings.Contains(string(m), bSha+"\trefs/remotes/b/git-annex\n") {
		t.Errorf("mergedrefs = %q", m)
	}
	if changed, err := br.Update(ctx); err != nil || changed {
		t.Errorf("second Update = %v, %v; want no change", changed, err)
	}
	info := run(t, aDir, "git", "annex", "info", "--fast")
	if !strings.Contains(info, "b described in b [b]") {
		t.Errorf("git annex info does not know repo b:\n%s", info)
	}
}

func TestUpdateFastForward(t *testing.T) {
	aDir, bDir := clonePair(t)
	ctx := context.Background()
	run(t, bDir, "git", "fetch", "-q", "origin")
	run(t, bDir, "git", "annex", "merge")
	run(t, bDir, "git", "annex", "describe", "here", "b again")
	run(t, aDir, "git", "fetch", "-q", "b")
	bSha := run(t, aDir, "git", "rev-parse", "refs/remotes/b/git-annex")
	br := openBranch(t, discover(t, aDir))
	changed, err := br.Update(ctx)
	if err != nil || !changed {
		t.Fatalf("Update = %v, %v", changed, err)
	}
	if got := run(t, aDir, "git", "rev-parse", "git-annex"); got != bSha {
		t.Errorf("branch = %s, want fast-forward to %s", got, bSha)
	}
	got, err := br.Get(ctx, "uuid.log")
	if err != nil || !strings.Contains(string(got), "b again") {
		t.Errorf("uuid.log = %q, %v", got, err)
	}
}

func TestCreate(t *testing.T) {
	needGitAnnex(t)
	isolate(t)
	dir := t.TempDir()
	run(t, dir, "git", "init", "-q")
	r := discover(t, dir)
	br := openBranch(t, r)
	if err := br.Create(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := run(t, dir, "git", "log", "--format=%s %T", "git-annex"); got != "branch created 4b825dc642cb6eb9a060e54bf8d69288fbee4904" {
		t.Errorf("branch = %q", got)
	}
	if err := br.Create(context.Background()); err != nil {
		t.Errorf("second Create: %v", err)
	}
	run(t, dir, "git", "annex", "init", "-q", "after trove")
	if got := run(t, dir, "git", "log", "--format=%s", "git-annex"); !strings.HasSuffix(got, "branch created") {
		t.Errorf("git-annex did not build on our branch:\n%s", got)
	}
}
