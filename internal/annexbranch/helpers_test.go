package annexbranch

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/troveproject/trove/internal/gitcmd"
)

// needGitAnnex skips when git-annex is missing, unless CI is set.
func needGitAnnex(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git-annex"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("git-annex is required when CI is set")
		}
		t.Skip("git-annex not installed")
	}
}

func isolate(t *testing.T) {
	t.Helper()
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(t.TempDir(), "gitconfig"))
	t.Setenv("GIT_CONFIG_PARAMETERS", "")
	for _, v := range []string{"AUTHOR", "COMMITTER"} {
		t.Setenv("GIT_"+v+"_NAME", "Test")
		t.Setenv("GIT_"+v+"_EMAIL", "test@example.com")
	}
}

// run runs a command in dir and returns its trimmed stdout.
func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// annexRepo makes a repository initialised by the real git-annex.
func annexRepo(t *testing.T, desc string) (string, *gitcmd.Repo) {
	t.Helper()
	needGitAnnex(t)
	isolate(t)
	dir := t.TempDir()
	run(t, dir, "git", "init", "-q")
	run(t, dir, "git", "annex", "init", "-q", desc)
	return dir, discover(t, dir)
}

func discover(t *testing.T, dir string) *gitcmd.Repo {
	t.Helper()
	r, err := gitcmd.Discover(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func openBranch(t *testing.T, r *gitcmd.Repo) *Branch {
	t.Helper()
	b := Open(r, nil)
	t.Cleanup(func() { b.Close() })
	return b
}
