package annexbranch

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/gitcmd"
)

// plainBranch makes a repository (object format format) whose git-annex
// branch holds files, written with git plumbing only, and returns it.
func plainBranch(t *testing.T, format string, files map[string]string) *gitcmd.Repo {
	t.Helper()
	isolate(t)
	dir := t.TempDir()
	run(t, dir, "git", "init", "-q", "--object-format="+format)
	writeBranch(t, dir, files, "")
	return discover(t, dir)
}

// writeBranch commits files as the whole content of the git-annex branch
// (on top of parent, if any) with git fast-import.
func writeBranch(t testing.TB, dir string, files map[string]string, parent string) {
	t.Helper()
	var in bytes.Buffer
	fmt.Fprintf(&in, "commit %s\ncommitter T <t@example.com> 1700000000 +0000\ndata 6\nupdate\n", Ref)
	if parent != "" {
		fmt.Fprintf(&in, "from %s\n", parent)
	}
	in.WriteString("deleteall\n")
	for p, c := range files {
		fmt.Fprintf(&in, "M 100644 inline %s\ndata %d\n%s\n", p, len(c), c)
	}
	cmd := exec.Command("git", "fast-import", "--quiet", "--force")
	cmd.Dir = dir
	cmd.Stdin = &in
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fast-import: %v\n%s", err, out)
	}
}

// locationFiles are n location logs under hash directories plus the
// top-level logs, as a git-annex branch has them.
func locationFiles(n int) map[string]string {
	files := map[string]string{"uuid.log": fakeUUID + " here timestamp=1700000000s\n", "trust.log": ""}
	for i := 0; i < n; i++ {
		files[logPath(i)] = fmt.Sprintf("1700000000s 1 %s\n", fakeUUID)
	}
	return files
}

func logPath(i int) string {
	return fmt.Sprintf("%03x/%03x/SHA256E-s%d--%064x.log", i%4096, (i*7)%4096, i, i)
}

// TestTreeLookupMatchesGit: every file of the branch (top level and in
// hash directories) reads back as git has it, absent ones as nil, in sha1
// and sha256 repositories.
func TestTreeLookupMatchesGit(t *testing.T) {
	for _, format := range []string{"sha1", "sha256"} {
		t.Run(format, func(t *testing.T) {
			files := locationFiles(50)
			r := plainBranch(t, format, files)
			b := openBranch(t, r)
			ctx := context.Background()
			for p, want := range files {
				got, err := b.Get(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != want {
					t.Errorf("Get(%s) = %q, want %q", p, got, want)
				}
			}
			for _, p := range []string{"no.log", "000", "000/000", "fff/fff/x.log", logPath(1) + "x", "uuid.log/x"} {
				if got, err := b.Get(ctx, p); err != nil || got != nil {
					t.Errorf("Get(%s) = %q, %v; want nil", p, got, err)
				}
			}
		})
	}
}

// TestTreeParseMatchesLsTree: the binary tree parser agrees with
// `git ls-tree` on the root tree of a branch.
func TestTreeParseMatchesLsTree(t *testing.T) {
	for _, format := range []string{"sha1", "sha256"} {
		r := plainBranch(t, format, locationFiles(20))
		b := openBranch(t, r)
		root, err := b.rootTree(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]treeEntry{}
		for _, line := range strings.Split(run(t, r.Top, "git", "ls-tree", Ref), "\n") {
			meta, name, _ := strings.Cut(line, "\t")
			f := strings.Fields(meta)
			want[name] = treeEntry{Name: name, SHA: f[2], Tree: f[1] == "tree"}
		}
		if diff := cmp.Diff(want, root.entries); diff != "" {
			t.Errorf("%s root tree (-ls-tree +parsed):\n%s", format, diff)
		}
	}
}

// TestChangeSeesOtherCommits: a commit made by another process after this
// Branch cached the tree is what the next Change builds on, and what reads
// see after it, so no update is lost.
func TestChangeSeesOtherCommits(t *testing.T) {
	r := plainBranch(t, "sha1", map[string]string{"a/b/k.log": "1 first\n"})
	b := openBranch(t, r)
	ctx := context.Background()
	if got, _ := b.Get(ctx, "a/b/k.log"); string(got) != "1 first\n" {
		t.Fatalf("first read %q", got)
	}
	writeBranch(t, r.Top, map[string]string{"a/b/k.log": "1 first\n2 other\n"}, Ref+"^0")
	if err := b.Change(ctx, "a/b/k.log", appendLine("3 ours")); err != nil {
		t.Fatal(err)
	}
	got, err := b.Get(ctx, "a/b/k.log")
	if err != nil {
		t.Fatal(err)
	}
	if want := "1 first\n2 other\n3 ours\n"; string(got) != want {
		t.Errorf("after Change = %q, want %q", got, want)
	}
	if err := b.Commit(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Get(ctx, "a/b/k.log"); string(got) != "1 first\n2 other\n3 ours\n" {
		t.Errorf("after Commit (journal gone, new tree) = %q", got)
	}
}

// TestPipelineMatchesGet: a Pipeline returns what Get returns, journal
// entries included, with many requests in flight.
func TestPipelineMatchesGet(t *testing.T) {
	files := locationFiles(600)
	r := plainBranch(t, "sha1", files)
	b := openBranch(t, r)
	ctx := context.Background()
	if err := b.Change(ctx, logPath(3), appendLine("journalled")); err != nil {
		t.Fatal(err)
	}
	paths := []string{"uuid.log", "absent.log", "fff/fff/absent.log"}
	for i := 0; i < 600; i++ {
		paths = append(paths, logPath(i))
	}
	var want [][]byte
	for _, p := range paths {
		data, err := b.Get(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, data)
	}
	pl, err := b.NewPipeline(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer pl.Close()
	pending := make(chan Pending, len(paths))
	go func() {
		defer close(pending)
		for _, p := range paths {
			pd, err := pl.Request(ctx, p)
			if err != nil {
				t.Error(err)
				return
			}
			pending <- pd
		}
	}()
	var got [][]byte
	for pd := range pending {
		data, err := pl.Result(pd)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, data)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pipeline vs Get (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(got[3+3]), "journalled") {
		t.Errorf("journal entry not read: %q", got[6])
	}
}

func FuzzParseTree(f *testing.F) {
	f.Add([]byte("100644 a\x00"+strings.Repeat("\x01", 20)+"40000 d\x00"+strings.Repeat("\xff", 20)), 20)
	f.Add([]byte("40000 x\x00"+strings.Repeat("\x02", 32)), 32)
	f.Add([]byte("100644 \x00"), 20)
	f.Fuzz(func(t *testing.T, data []byte, hashLen int) {
		if hashLen != 20 && hashLen != 32 {
			return
		}
		ents, err := parseTree(data, hashLen)
		if err != nil {
			return
		}
		// Re-encoding the entries gives back the input's names and ids.
		n := 0
		for _, e := range ents {
			if e.Name == "" || strings.ContainsRune(e.Name, 0) || len(e.SHA) != 2*hashLen {
				t.Fatalf("bad entry %+v", e)
			}
			n += len(e.Name) + 1 + hashLen
		}
		if n > len(data) {
			t.Fatalf("entries longer than the input")
		}
	})
}
