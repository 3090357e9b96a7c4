package annex

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/testutil"
)

func TestSplitImportBranch(t *testing.T) {
	for _, tc := range []struct {
		spec, branch, subdir string
		bad                  bool
	}{
		{spec: "master", branch: "master"},
		{spec: "refs/heads/main", branch: "main"},
		{spec: "main:sub/dir", branch: "main", subdir: "sub/dir"},
		{spec: "main:/sub/", branch: "main", subdir: "sub"},
		{spec: "main:", branch: "main"},
		{spec: "", bad: true},
		{spec: ":sub", bad: true},
		{spec: "-x", bad: true},
		{spec: "main:../up", bad: true},
		{spec: "main:a//b", bad: true},
	} {
		branch, subdir, err := splitImportBranch(tc.spec)
		if (err != nil) != tc.bad {
			t.Errorf("splitImportBranch(%q) error = %v, want error %v", tc.spec, err, tc.bad)
			continue
		}
		if !tc.bad && (branch != tc.branch || subdir != tc.subdir) {
			t.Errorf("splitImportBranch(%q) = %q, %q; want %q, %q", tc.spec, branch, subdir, tc.branch, tc.subdir)
		}
	}
}

// FuzzSplitImportBranch: an accepted spec names a branch that cannot be
// taken for an option and a subdirectory that stays inside the tree.
func FuzzSplitImportBranch(f *testing.F) {
	for _, s := range []string{"main", "main:sub", "refs/heads/x:a/b/", "a:../b", ":", "-:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		branch, subdir, err := splitImportBranch(spec)
		if err != nil {
			return
		}
		if branch == "" || strings.HasPrefix(branch, "-") {
			t.Errorf("splitImportBranch(%q) accepted branch %q", spec, branch)
		}
		if subdir != "" {
			if _, err := remote.NewExportLocation(subdir); err != nil {
				t.Errorf("splitImportBranch(%q) accepted subdir %q: %v", spec, subdir, err)
			}
		}
	})
}

// TestCommitImportRules: the commits git-annex 10.20230126 makes (seen in
// its repositories): a parentless "import from R" first; nothing when the
// tree is unchanged; then an import commit merged into the tracking ref
// ("remote tracking branch"), whose own parent is the import commit the
// ref merged last.
func TestCommitImportRules(t *testing.T) {
	useTestEnv(t)
	ctx := context.Background()
	dir := testutil.NewRepo(t)
	g, err := gitcmd.Discover(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	r := &Repo{git: g}
	tree := func(content string) string {
		blob, err := g.RunInput(ctx, strings.NewReader(content), "hash-object", "-w", "--stdin")
		if err != nil {
			t.Fatal(err)
		}
		out, err := g.RunInput(ctx, strings.NewReader("100644 blob "+strings.TrimSpace(string(blob))+"\tf\n"), "mktree")
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	const ref = "refs/remotes/imp/main"
	// history returns "subject parents-count" of each commit, newest first.
	history := func() []string {
		out := testutil.RunGit(t, dir, "log", "--format=%s|%P", ref)
		var h []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			subj, parents, _ := strings.Cut(l, "|")
			h = append(h, subj+" "+string(rune('0'+len(strings.Fields(parents)))))
		}
		return h
	}
	t1, t2, t3 := tree("one"), tree("two"), tree("three")
	for _, tr := range []string{t1, t1} {
		if err := r.commitImport(ctx, ref, "imp", tr); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{"import from imp 0"}, history()); diff != "" {
		t.Errorf("after the first imports (-want +got):\n%s", diff)
	}
	first := strings.TrimSpace(testutil.RunGit(t, dir, "rev-parse", ref))
	if err := r.commitImport(ctx, ref, "imp", t2); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(testutil.RunGit(t, dir, "rev-parse", ref+"^2^@")); got != "" {
		t.Errorf("second import commit has parents %q, want none", got)
	}
	second := strings.TrimSpace(testutil.RunGit(t, dir, "rev-parse", ref+"^2"))
	if got := strings.TrimSpace(testutil.RunGit(t, dir, "rev-parse", ref+"^1")); got != first {
		t.Errorf("merge's first parent = %s, want the old ref %s", got, first)
	}
	if err := r.commitImport(ctx, ref, "imp", t3); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(testutil.RunGit(t, dir, "rev-parse", ref+"^2^")); got != second {
		t.Errorf("third import commit's parent = %s, want the second import commit %s", got, second)
	}
	if got := strings.TrimSpace(testutil.RunGit(t, dir, "rev-parse", ref+"^{tree}")); got != t3 {
		t.Errorf("ref's tree = %s, want %s", got, t3)
	}
	msg := testutil.RunGit(t, dir, "cat-file", "commit", ref+"^2")
	if !strings.HasSuffix(msg, "\n\nimport from imp") {
		t.Errorf("import commit message is not git-annex's (no trailing newline):\n%q", msg)
	}
}
