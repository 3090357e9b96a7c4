package annex

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/testutil"
)

// treeRepo is a repository made by the real git-annex whose HEAD has a
// locked file (a.txt), an unlocked one (d/u.txt), two files in git (g.txt,
// and big.bin, too large to be a pointer) and a submodule entry (sub).
func treeRepo(t *testing.T) (*Repo, string) {
	t.Helper()
	useTestEnv(t)
	dir := testutil.NewAnnexRepo(t, originUUID, "origin")
	big := strings.Repeat("not a pointer\n", 1000)
	for p, c := range map[string]string{"a.txt": "aaa\n", "d/u.txt": "uuu\n", "g.txt": "in git\n", "big.bin": big} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	testutil.RunAnnex(t, dir, "add", "-q", "a.txt", "d/u.txt")
	testutil.RunAnnex(t, dir, "unlock", "-q", "d/u.txt")
	testutil.RunAnnex(t, dir, "add", "-q", "--force-small", "g.txt", "big.bin")
	testutil.RunGit(t, dir, "commit", "-q", "-m", "files")
	sub := strings.TrimSpace(testutil.RunGit(t, dir, "rev-parse", "HEAD"))
	testutil.RunGit(t, dir, "update-index", "--add", "--cacheinfo", "160000,"+sub+",sub")
	testutil.RunGit(t, dir, "commit", "-q", "-m", "submodule")
	return openRepo(t, dir), dir
}

// TestTreeFilesAndBranchFilesAgreeWithGitAnnex checks both listings of a
// tree against the real git-annex: export's files are every blob (files
// in git under GIT--SHA keys) and --branch's are the annexed files that
// `git annex find --branch` lists, with the same keys.
func TestTreeFilesAndBranchFilesAgreeWithGitAnnex(t *testing.T) {
	ctx := context.Background()
	r, dir := treeRepo(t)
	found := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(testutil.RunAnnex(t, dir, "find", "--branch", "HEAD", "--format", "${file} ${key}\\n")), "\n") {
		file, k, _ := strings.Cut(line, " ")
		found[strings.TrimPrefix(file, "HEAD:")] = k
	}
	if len(found) != 2 {
		t.Fatalf("git annex find --branch HEAD listed %v, want a.txt and d/u.txt", found)
	}
	blob := func(p string) string {
		return "GIT--" + strings.TrimSpace(testutil.RunGit(t, dir, "rev-parse", "HEAD:"+p))
	}

	tree, err := r.resolveTree(ctx, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	files, err := r.treeFiles(ctx, tree)
	if err != nil {
		t.Fatal(err)
	}
	gotExport := map[string]string{}
	for _, f := range files {
		gotExport[f.Loc.String()] = f.Key.String()
	}
	wantExport := map[string]string{"a.txt": found["a.txt"], "d/u.txt": found["d/u.txt"], "g.txt": blob("g.txt"), "big.bin": blob("big.bin")}
	if d := cmp.Diff(wantExport, gotExport); d != "" {
		t.Errorf("treeFiles (-want +got):\n%s", d)
	}

	type item struct {
		File, Branch, Key string
		Unlocked          bool
	}
	var gotSeek []item
	err = r.Seek(ctx, SeekOptions{Branch: "HEAD"}, func(it Item) error {
		gotSeek = append(gotSeek, item{it.File, it.Branch, it.Key.String(), it.Unlocked})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wantSeek := []item{{"a.txt", "HEAD", found["a.txt"], false}, {"d/u.txt", "HEAD", found["d/u.txt"], true}}
	if d := cmp.Diff(wantSeek, gotSeek); d != "" {
		t.Errorf("Seek --branch (-want +got):\n%s", d)
	}
}
