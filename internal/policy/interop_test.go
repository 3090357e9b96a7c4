package policy

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// gitAnnexRepo returns a fresh git-annex repository, skipping only when
// git-annex is missing and CI is unset.
func gitAnnexRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git-annex"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("git-annex not installed but CI is set")
		}
		t.Skip("git-annex not installed")
	}
	dir := t.TempDir()
	for _, args := range [][]string{{"init", "-q"}, {"annex", "init", "-q", "policytest"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

// TestLargeFilesAgainstGitAnnex runs every expression on every file through
// both git annex matchexpression and LargeFiles.
func TestLargeFilesAgainstGitAnnex(t *testing.T) {
	dir := gitAnnexRepo(t)
	exprs := []string{
		"include=*.txt", "exclude=*.txt", "include=*/x.*", "include=sub/*",
		"include=?.txt", "include=[a-c].txt", "include=[!a].txt", "include=*.[Tt][Xx][Tt]",
		"include=a.txt or largerthan=10kb", "include=*.txt and not smallerthan=1MiB",
		"include=*.txt or include=*.bin and largerthan=1kb",
		"not include=*.txt or include=a.txt", "( include=*.bin or include=*.txt ) largerthan=5",
		"(include=*.bin)not(include=b*)", "nothing or ( anything and not nothing )",
		"largerthan=1.5kB", "smallerthan=2kbit", "largerthan=0.001MB", "include=sub//*",
		"include=*[]].txt", "include=.*", "include=*.TXT",
	}
	files := []struct {
		path string
		size int64
	}{
		{"a.txt", 3}, {"b.txt", 3000}, {"sub/x.bin", 250}, {"sub/dir/x.TXT", 2000000},
		{"c.bin", 1501}, {"d].txt", 1}, {".hidden", 7},
	}
	for _, expr := range exprs {
		x, err := LargeFiles(expr)
		if err != nil {
			t.Errorf("LargeFiles(%q): %v", expr, err)
			continue
		}
		for _, f := range files {
			cmd := exec.Command("git", "annex", "matchexpression", "--largefiles", expr,
				"--file="+f.path, "--size="+strconv.FormatInt(f.size, 10))
			cmd.Dir = dir
			err := cmd.Run()
			var ee *exec.ExitError
			if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
				t.Fatalf("matchexpression %q %s: %v", expr, f.path, err)
			}
			want := err == nil
			got, _ := x.Match(context.Background(), nil, sized(f.path, f.size))
			if got != want {
				t.Errorf("%q on %s (%d bytes): trove %v, git-annex %v", expr, f.path, f.size, got, want)
			}
		}
	}
}
