package gitcmd

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// isolateGit keeps the user's and system's git configuration out of a test
// and fixes the identity used for commits.
func isolateGit(t testing.TB) {
	t.Helper()
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(t.TempDir(), "gitconfig"))
	t.Setenv("GIT_CONFIG_PARAMETERS", "")
	for _, v := range []string{"AUTHOR", "COMMITTER"} {
		t.Setenv("GIT_"+v+"_NAME", "Test")
		t.Setenv("GIT_"+v+"_EMAIL", "test@example.com")
		t.Setenv("GIT_"+v+"_DATE", "1700000000 +0000")
	}
}

// gitIn runs git in dir for test setup and returns its trimmed stdout.
func gitIn(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// newRepo makes a fresh non-bare repository (extra init args allowed) and
// discovers it.
func newRepo(t testing.TB, initArgs ...string) *Repo {
	t.Helper()
	isolateGit(t)
	dir := t.TempDir()
	gitIn(t, dir, append([]string{"init", "-q"}, initArgs...)...)
	r, err := Discover(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// writeFile writes a work-tree file of r, creating directories.
func writeFile(t testing.TB, r *Repo, rel, content string) {
	t.Helper()
	p := filepath.Join(r.Top, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
