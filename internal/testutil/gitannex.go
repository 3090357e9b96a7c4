package testutil

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// GitAnnexEnvVar names an environment variable that, when set, is the path of
// the real git-annex to use in interoperability tests instead of a PATH
// search.
const GitAnnexEnvVar = "TROVE_TEST_GIT_ANNEX"

var (
	gitAnnexOnce sync.Once
	gitAnnexPath string
)

// RequireGitAnnex returns the absolute path of the real git-annex binary.
// When there is none, it skips the test if the environment variable CI is
// unset and fails it if CI is set: CI installs git-annex, so its absence
// there is a broken setup, not a reason to skip.
//
// The real git-annex is $TROVE_TEST_GIT_ANNEX if set, otherwise the first
// "git-annex" on PATH that is not a link to a binary named "trove" (so a
// Trove installed as git-annex by install.sh never stands in for it).
func RequireGitAnnex(t testing.TB) string {
	t.Helper()
	gitAnnexOnce.Do(func() {
		if p := os.Getenv(GitAnnexEnvVar); p != "" {
			if isExecutable(p) {
				gitAnnexPath, _ = filepath.Abs(p)
			}
			return
		}
		gitAnnexPath = findRealGitAnnex(os.Getenv("PATH"))
	})
	if gitAnnexPath != "" {
		return gitAnnexPath
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("testutil: the real git-annex is required and CI is set, but none was found on PATH (or in $%s); install it with `apt-get install git-annex`", GitAnnexEnvVar)
	}
	t.Skipf("testutil: the real git-annex is not installed (apt-get install git-annex); skipping because CI is unset")
	return ""
}

// findRealGitAnnex searches the directories of a PATH-style list for an
// executable named git-annex that does not resolve to a file named trove.
// It returns "" when there is none.
func findRealGitAnnex(pathList string) string {
	for _, dir := range filepath.SplitList(pathList) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, "git-annex")
		if !isExecutable(p) {
			continue
		}
		if resolved, err := filepath.EvalSymlinks(p); err == nil && filepath.Base(resolved) == "trove" {
			continue
		}
		if abs, err := filepath.Abs(p); err == nil {
			return abs
		}
	}
	return ""
}

// isExecutable reports whether p is a regular file (after following links)
// with an execute bit set.
func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
