package gitcmd

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// oddNames are file names that break line-based parsing.
var oddNames = []string{"plain", "with space", "tab\there", "new\nline", "dir/ü.txt"}

func commitFiles(t *testing.T, r *Repo) {
	t.Helper()
	for _, n := range oddNames {
		writeFile(t, r, n, "content of "+n)
	}
	gitIn(t, r.Top, "add", ".")
	gitIn(t, r.Top, "commit", "-q", "-m", "files")
}

func TestLsFilesAndTree(t *testing.T) {
	r := newRepo(t)
	ctx := context.Background()
	commitFiles(t, r)
	want := slices.Clone(oddNames)
	slices.Sort(want)

	var files []string
	for p, err := range r.LsFiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	if d := cmp.Diff(want, files); d != "" {
		t.Errorf("LsFiles (-want +got):\n%s", d)
	}

	var staged, tree []string
	for e, err := range r.LsFilesStage(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if e.Mode != "100644" || e.Stage != 0 || e.SHA != HashBlob("sha1", []byte("content of "+e.Path)) {
			t.Errorf("LsFilesStage entry %+v", e)
		}
		staged = append(staged, e.Path)
	}
	for e, err := range r.LsTree(ctx, "HEAD") {
		if err != nil {
			t.Fatal(err)
		}
		if e.Type != "blob" || e.SHA != HashBlob("sha1", []byte("content of "+e.Path)) {
			t.Errorf("LsTree entry %+v", e)
		}
		tree = append(tree, e.Path)
	}
	if d := cmp.Diff(want, staged); d != "" {
		t.Errorf("LsFilesStage paths (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want, tree); d != "" {
		t.Errorf("LsTree paths (-want +got):\n%s", d)
	}
}

func TestRecordsEarlyStopAndFailure(t *testing.T) {
	r := newRepo(t)
	ctx := context.Background()
	commitFiles(t, r)
	n := 0
	for _, err := range r.LsFiles(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		break
	}
	if n != 1 {
		t.Errorf("iterations after break = %d", n)
	}
	var last error
	for _, err := range r.LsTree(ctx, "nosuchtree") {
		last = err
	}
	if exitCode(last) != 128 {
		t.Errorf("LsTree of a bad tree: err = %v", last)
	}
}

func TestDiffIndexAndTree(t *testing.T) {
	r := newRepo(t)
	ctx := context.Background()
	commitFiles(t, r)
	first := gitIn(t, r.Top, "rev-parse", "HEAD")
	writeFile(t, r, "plain", "changed")
	writeFile(t, r, "added\nfile", "new")
	gitIn(t, r.Top, "rm", "-q", "with space")
	gitIn(t, r.Top, "mv", "tab\there", "renamed")
	gitIn(t, r.Top, "add", ".")

	collect := func(entries func(func(DiffEntry, error) bool)) map[string]DiffEntry {
		got := map[string]DiffEntry{}
		for e, err := range entries {
			if err != nil {
				t.Fatal(err)
			}
			got[e.Path] = e
		}
		return got
	}
	got := collect(r.DiffIndex(ctx, "--cached", "-M", "HEAD", "--"))
	zeros := "0000000000000000000000000000000000000000"
	want := map[string]DiffEntry{
		"plain":       {"100644", "100644", HashBlob("", []byte("content of plain")), HashBlob("", []byte("changed")), "M", "", "plain"},
		"added\nfile": {"000000", "100644", zeros, HashBlob("", []byte("new")), "A", "", "added\nfile"},
		"with space":  {"100644", "000000", HashBlob("", []byte("content of with space")), zeros, "D", "", "with space"},
		"renamed":     {"100644", "100644", HashBlob("", []byte("content of tab\there")), HashBlob("", []byte("content of tab\there")), "R100", "tab\there", "renamed"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("DiffIndex (-want +got):\n%s", d)
	}

	gitIn(t, r.Top, "commit", "-q", "-m", "second")
	got = collect(r.DiffTree(ctx, "-r", "-M", "HEAD"))
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("DiffTree of one commit (-want +got):\n%s", d)
	}
	got = collect(r.DiffTree(ctx, "-r", "-M", first, "HEAD"))
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("DiffTree of two commits (-want +got):\n%s", d)
	}
}
