package testutil

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// envMap turns an environment list into a map; later entries win, as in exec.
func envMap(env []string) map[string]string {
	m := make(map[string]string, len(env))
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}

func TestEnvDropsInheritedGitState(t *testing.T) {
	t.Setenv("GIT_DIR", "/nonexistent/.git")
	t.Setenv("GIT_INDEX_FILE", "/nonexistent/index")
	t.Setenv("LC_MESSAGES", "de_DE.UTF-8")
	m := envMap(Env(t))
	for _, k := range []string{"GIT_DIR", "GIT_INDEX_FILE", "LC_MESSAGES"} {
		if v, ok := m[k]; ok {
			t.Errorf("Env leaks %s=%q from the parent environment", k, v)
		}
	}
	want := map[string]string{
		"GIT_AUTHOR_DATE":        Date,
		"GIT_COMMITTER_DATE":     Date,
		"GIT_ANNEX_VECTOR_CLOCK": VectorClock,
		"LC_ALL":                 "C",
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("Env %s = %q, want %q", k, m[k], v)
		}
	}
}

func TestEnvHomeIsPrivateAndStable(t *testing.T) {
	home1 := envMap(Env(t))["HOME"]
	home2 := envMap(Env(t))["HOME"]
	if home1 != home2 {
		t.Fatalf("HOME changed between calls for one test: %q then %q", home1, home2)
	}
	if userHome, _ := os.UserHomeDir(); home1 == userHome {
		t.Fatalf("Env HOME is the user's real home %q", userHome)
	}
	var other string
	t.Run("sub", func(t *testing.T) { other = envMap(Env(t))["HOME"] })
	if other == home1 {
		t.Errorf("a subtest shares its parent's HOME %q", home1)
	}
	got := RunGit(t, t.TempDir(), "config", "--global", "user.email")
	if diff := cmp.Diff(AuthorEmail+"\n", got); diff != "" {
		t.Errorf("git config --global user.email (-want +got):\n%s", diff)
	}
}

// TestNewRepoCommitsAreReproducible checks the point of Env: the same tree
// committed in two fresh repositories gets the same commit id.
func TestNewRepoCommitsAreReproducible(t *testing.T) {
	var ids []string
	for range 2 {
		dir := NewRepo(t)
		if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hello\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		RunGit(t, dir, "add", "a.txt")
		RunGit(t, dir, "commit", "-q", "-m", "first")
		ids = append(ids, RunGit(t, dir, "rev-parse", "HEAD"))
	}
	if ids[0] != ids[1] {
		t.Errorf("commit ids differ between identical repos: %q vs %q", ids[0], ids[1])
	}
	if got := strings.TrimSpace(RunGit(t, NewRepo(t), "symbolic-ref", "HEAD")); got != "refs/heads/master" {
		t.Errorf("new repo HEAD = %q, want refs/heads/master", got)
	}
}

func TestFindRealGitAnnexSkipsTrove(t *testing.T) {
	troveDir, realDir := t.TempDir(), t.TempDir()
	writeExe(t, filepath.Join(troveDir, "trove"))
	if err := os.Symlink("trove", filepath.Join(troveDir, "git-annex")); err != nil {
		t.Fatal(err)
	}
	writeExe(t, filepath.Join(realDir, "git-annex"))
	notExe := t.TempDir()
	if err := os.WriteFile(filepath.Join(notExe, "git-annex"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	list := strings.Join([]string{"", notExe, troveDir, realDir}, string(os.PathListSeparator))
	if got, want := findRealGitAnnex(list), filepath.Join(realDir, "git-annex"); got != want {
		t.Errorf("findRealGitAnnex = %q, want %q", got, want)
	}
	if got := findRealGitAnnex(troveDir); got != "" {
		t.Errorf("findRealGitAnnex with only Trove on PATH = %q, want none", got)
	}
}

func writeExe(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestTempDirRemovesReadOnlyTrees(t *testing.T) {
	var dir string
	t.Run("make", func(t *testing.T) {
		dir = TempDir(t)
		ro := filepath.Join(dir, "objects", "ab")
		if err := os.MkdirAll(ro, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(ro, "f"), []byte("x"), 0o444); err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{ro, filepath.Dir(ro)} {
			if err := os.Chmod(d, 0o555); err != nil {
				t.Fatal(err)
			}
		}
	})
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("TempDir %s still exists after its test ended (err=%v)", dir, err)
	}
}

// TestNewAnnexRepoIsReproducible compares the uuid.log the real git-annex
// writes with the value git-annex-internals.md §13.2 recorded for a fixed
// UUID and vector clock.
func TestNewAnnexRepoIsReproducible(t *testing.T) {
	const u = "11111111-2222-3333-4444-555555555555"
	dir := NewAnnexRepo(t, u, "test")
	got := RunGit(t, dir, "show", "git-annex:uuid.log")
	if diff := cmp.Diff(u+" test timestamp=1700000000s\n", got); diff != "" {
		t.Errorf("uuid.log (-want +got):\n%s", diff)
	}
	if got := RunAnnex(t, dir, "version", "--raw"); got == "" {
		t.Error("git-annex version --raw printed nothing")
	}
}

func TestPrependPath(t *testing.T) {
	got := prependPath([]string{"A=1", "PATH=/usr/bin:/bin", "B=2"}, "/opt/x")
	want := []string{"A=1", "B=2", "PATH=/opt/x" + string(os.PathListSeparator) + "/usr/bin:/bin"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("prependPath (-want +got):\n%s", diff)
	}
}
