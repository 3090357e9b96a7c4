package annexbranch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// commitTreeOf makes, with git's own plumbing in a scratch index, the
// commit write-tree and commit-tree would make of parent with files set.
func commitTreeOf(t *testing.T, dir, parent string, files map[string]string, message string) string {
	t.Helper()
	env := append(os.Environ(), "GIT_INDEX_FILE="+filepath.Join(t.TempDir(), "index"))
	git := func(stdin string, args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env, cmd.Stdin = dir, env, strings.NewReader(stdin)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %s: %v", strings.Join(args, " "), err)
		}
		return strings.TrimSpace(string(out))
	}
	git("", "read-tree", parent)
	var info strings.Builder
	for p, data := range files {
		sha := git(data, "hash-object", "-w", "--stdin")
		fmt.Fprintf(&info, "100644 %s\t%s\x00", sha, p)
	}
	git(info.String(), "update-index", "-z", "--index-info")
	return git(message, "commit-tree", git("", "write-tree"), "-p", parent)
}

// TestCommitChangesMatchesCommitTree: the fast-import commit is the very
// commit (same id, hence same trees and blobs) git's write-tree and
// commit-tree make of the same changes, paths that need quoting included;
// it writes no loose object, and the annex index holds its tree.
func TestCommitChangesMatchesCommitTree(t *testing.T) {
	dir, r := annexRepo(t, "first")
	t.Setenv("GIT_AUTHOR_DATE", "1700000000 +0100")
	t.Setenv("GIT_COMMITTER_DATE", "1700000001 -0200")
	ctx := context.Background()
	b := openBranch(t, r)
	if err := b.CommitChanges(ctx, Changes{"first.log": {setTo("1\n")}}, ""); err != nil {
		t.Fatal(err) // makes the annex index reflect the branch
	}
	parent := run(t, dir, "git", "rev-parse", Ref)
	files := map[string]string{
		"uuid.log":              run(t, dir, "git", "cat-file", "blob", Ref+":uuid.log") + "\nextra\n",
		"aaa/bbb/KEY.log":       "1700000000s 1 " + fakeUUID + "\n",
		"aaa/bbc/KEY2.log":      "x\n",
		"0f/1/ \"quoted.log":    "space and quote\n",
		"0f/\"starts.log":       "quote first\n",
		"0f/back\\slash.log":    "backslash\n",
		"0f/new\nline\tt.log":   "control characters\n",
		"0f/ütf8 ✓.log":         "utf-8\n",
		"0f/1/2/3/4/deep.log":   "deep\n",
		"first.log":             "1\n2\n",
		"0f/x/y/z/\x01ctrl.log": "octal\n",
	}
	changes := Changes{}
	for p, data := range files {
		changes.Add(p, setTo(data))
	}
	if err := b.CommitChanges(ctx, changes, "many"); err != nil {
		t.Fatal(err)
	}
	got := run(t, dir, "git", "rev-parse", Ref)
	if want := commitTreeOf(t, dir, parent, files, "many"); got != want {
		t.Errorf("commit %s, want %s as commit-tree makes it\n%s", got, want, run(t, dir, "git", "cat-file", "-p", got))
	}
	cmd := exec.Command("git", "write-tree")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), "GIT_INDEX_FILE="+filepath.Join(dir, ".git/annex/index"))
	indexTree, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(run(t, dir, "git", "rev-parse", Ref+"^{tree}"), strings.TrimSpace(string(indexTree))); diff != "" {
		t.Errorf("annex index tree differs from the branch's (-branch +index):\n%s", diff)
	}
	if got := run(t, dir, "cat", ".git/annex/index.lck"); got != run(t, dir, "git", "rev-parse", Ref) {
		t.Errorf("index.lck = %s, want the new commit", got)
	}
}

// TestCommitChangesWritesNoLooseObjects: the blobs and trees of a commit go
// into one pack.
func TestCommitChangesWritesNoLooseObjects(t *testing.T) {
	dir, r := annexRepo(t, "first")
	ctx := context.Background()
	b := openBranch(t, r)
	if err := b.CommitChanges(ctx, Changes{"first.log": {setTo("1\n")}}, ""); err != nil {
		t.Fatal(err)
	}
	before := run(t, dir, "git", "count-objects")
	changes := Changes{}
	for i := range 50 {
		changes.Add(fmt.Sprintf("a%02d/b%02d/K%d.log", i%7, i, i), setTo(fmt.Sprintf("%d\n", i)))
	}
	if err := b.CommitChanges(ctx, changes, ""); err != nil {
		t.Fatal(err)
	}
	if after := run(t, dir, "git", "count-objects"); after != before {
		t.Errorf("loose objects %q -> %q, want none written", before, after)
	}
	run(t, dir, "git", "fsck", "--no-progress", "--connectivity-only")
}

// TestFastCommitRefusesMovedBranch: a branch moved by another writer since
// the parent was read is not overwritten.
func TestFastCommitRefusesMovedBranch(t *testing.T) {
	dir, r := annexRepo(t, "first")
	ctx := context.Background()
	b := openBranch(t, r)
	old := run(t, dir, "git", "rev-parse", Ref)
	if err := b.CommitChanges(ctx, Changes{"moved.log": {setTo("1\n")}}, ""); err != nil {
		t.Fatal(err)
	}
	moved := run(t, dir, "git", "rev-parse", Ref)
	_, err := b.fastCommit(ctx, old, []fileContent{{"x.log", []byte("x\n")}}, "late")
	if !errors.Is(err, errRefMoved) {
		t.Fatalf("fastCommit on a moved branch: %v, want errRefMoved", err)
	}
	if got := run(t, dir, "git", "rev-parse", Ref); got != moved {
		t.Errorf("branch %s, want it left at %s", got, moved)
	}
}

func setTo(data string) func([]byte) []byte {
	return func([]byte) []byte { return []byte(data) }
}

func TestParseIdents(t *testing.T) {
	out := "user.name=A\nGIT_COMMITTER_IDENT=C <c@x> 1 +0000\nGIT_AUTHOR_IDENT=A <a@x> 2 -0100\nGIT_EDITOR=vi\n"
	a, c := parseIdents([]byte(out))
	if a != "A <a@x> 2 -0100" || c != "C <c@x> 1 +0000" {
		t.Errorf("parseIdents = %q, %q", a, c)
	}
}

func FuzzParseIdents(f *testing.F) {
	f.Add([]byte("GIT_AUTHOR_IDENT=A <a> 1 +0000\nGIT_COMMITTER_IDENT=C <c> 1 +0000\n"))
	f.Fuzz(func(t *testing.T, out []byte) {
		a, c := parseIdents(out)
		if strings.Contains(a, "\n") || strings.Contains(c, "\n") {
			t.Fatalf("ident with a newline: %q %q", a, c)
		}
	})
}
