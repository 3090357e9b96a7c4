package ui

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGoldenFilesMatchLiveGitAnnex re-runs testdata/capture.sh against the
// installed git-annex so the golden files cannot drift from it.
func TestGoldenFilesMatchLiveGitAnnex(t *testing.T) {
	if _, err := exec.LookPath("git-annex"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("git-annex is required in CI: %v", err)
		}
		t.Skip("git-annex not installed")
	}
	script, err := filepath.Abs("testdata/capture.sh")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command("sh", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("capture.sh: %v\n%s", err, out)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("capture.sh wrote nothing")
	}
	for _, e := range entries {
		live, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		golden := readGolden(t, e.Name())
		if diff := cmp.Diff(golden, string(live)); diff != "" {
			t.Errorf("%s: golden differs from live git-annex (-golden +live):\n%s", e.Name(), diff)
		}
	}
}
