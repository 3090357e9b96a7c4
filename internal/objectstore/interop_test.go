package objectstore

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/pointer"
	"github.com/troveproject/trove/internal/testutil"
	"github.com/troveproject/trove/internal/uuid"
)

var interopFiles = map[string]string{
	"a.txt":              "hello world\n",
	"sub/dir/foo.tar.gz": "foo\n",
	"noext":              "no extension",
	"empty.dat":          "",
	"big.bin":            strings.Repeat("0123456789abcdef", 70000),
}

// objectListing maps every path under objects/ to its permission bits.
func objectListing(t *testing.T, objects string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(objects, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(objects, p)
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		out[rel] = fi.Mode().String()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMatchesGitAnnexAdd ingests the same files as `git annex add` and
// compares the object trees, then checks that `git annex fsck` accepts the
// repository Trove populated.
func TestMatchesGitAnnexAdd(t *testing.T) {
	ctx := context.Background()
	real := testutil.NewAnnexRepo(t, "11111111-2222-3333-4444-555555555555", "real")
	for name, content := range interopFiles {
		writeFile(t, filepath.Join(real, name), content, 0o644)
	}
	testutil.RunAnnex(t, real, "add", "-q", ".")
	want := objectListing(t, filepath.Join(real, ".git/annex/objects"))

	const u = uuid.UUID("22222222-2222-3333-4444-555555555555")
	ours := testutil.NewAnnexRepo(t, u, "ours")
	s := Open(filepath.Join(ours, ".git/annex"), Options{})
	defer s.Close()
	for name, content := range interopFiles {
		path := filepath.Join(ours, name)
		writeFile(t, path, content, 0o644)
		k, err := s.IngestMove(ctx, path, backend.Default(), filepath.Base(name), backend.DefaultMaxExtensionLength)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(pointer.LinkTarget(name, k, s.HashDir(k)), path); err != nil {
			t.Fatal(err)
		}
		testutil.RunAnnex(t, ours, "setpresentkey", k.String(), string(u), "1")
	}
	got := objectListing(t, filepath.Join(ours, ".git/annex/objects"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("objects tree differs from git annex add (-git-annex +trove):\n%s", diff)
	}
	testutil.RunGit(t, ours, "add", ".")
	testutil.RunGit(t, ours, "commit", "-q", "-m", "add")
	out := testutil.RunAnnex(t, ours, "fsck")
	if n := strings.Count(out, " ok\n"); n != len(interopFiles) {
		t.Fatalf("git annex fsck: %d ok lines, want %d:\n%s", n, len(interopFiles), out)
	}
	// git-annex must see our objects as its own.
	for _, k := range strings.Fields(testutil.RunAnnex(t, ours, "find", "--format=${key}\n")) {
		if ok, err := s.Has(mustKey(t, k)); err != nil || !ok {
			t.Fatalf("git-annex lists %s, Has = %v, %v", k, ok, err)
		}
	}
}

// TestContentLockBlocksGitAnnexDrop holds our shared content lock while the
// real git-annex tries to drop the content, and then lets it.
func TestContentLockBlocksGitAnnexDrop(t *testing.T) {
	ctx := context.Background()
	repo := testutil.NewAnnexRepo(t, "33333333-2222-3333-4444-555555555555", "r")
	writeFile(t, filepath.Join(repo, "a.txt"), "hello world\n", 0o644)
	testutil.RunAnnex(t, repo, "add", "-q", "a.txt")
	s := Open(filepath.Join(repo, ".git/annex"), Options{})
	defer s.Close()
	k := mustKey(t, helloKey)
	l, err := s.LockShared(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	cmd := testutil.Command(t, repo, testutil.RequireGitAnnex(t), "drop", "--force", "a.txt")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("git annex drop succeeded while we held a shared content lock:\n%s", out)
	}
	if !strings.Contains(string(out), "locked") {
		t.Fatalf("git annex drop failed for another reason than our lock:\n%s", out)
	}
	if ok, _ := s.Has(k); !ok {
		t.Fatal("content gone while locked")
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	testutil.RunAnnex(t, repo, "drop", "--force", "a.txt")
	if ok, _ := s.Has(k); ok {
		t.Fatal("git annex drop did not remove the content after release")
	}
}
