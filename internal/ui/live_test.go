package ui

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/testutil"
)

// TestGoldenFilesMatchLiveGitAnnex re-runs testdata/capture.sh against the
// installed git-annex so the golden files cannot drift from it.
func TestGoldenFilesMatchLiveGitAnnex(t *testing.T) {
	bin := testutil.RequireGitAnnex(t)
	script, err := filepath.Abs("testdata/capture.sh")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := testutil.Command(t, dir, "sh", script)
	// The real git-annex first on PATH, for the script's `git annex`.
	cmd.Env = append(cmd.Env, "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
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
