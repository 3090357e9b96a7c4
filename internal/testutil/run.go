package testutil

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Command returns a command that runs name with args in dir under Env(t).
// The caller runs it and handles its result; use it for expected failures,
// standard input, or binaries other than git and git-annex.
func Command(t testing.TB, dir, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = Env(t)
	return cmd
}

// RunGit runs git with args in dir under Env(t) and returns its standard
// output. It fails the test, showing standard error, if git exits non-zero.
func RunGit(t testing.TB, dir string, args ...string) string {
	t.Helper()
	return run(t, Command(t, dir, "git", args...))
}

// RunAnnex runs the real git-annex with args in dir under Env(t) and returns
// its standard output. It calls RequireGitAnnex first, so the test is
// skipped or failed as that function says when git-annex is missing, and it
// fails the test if git-annex exits non-zero.
//
// The directory of the real git-annex is put first on PATH, so programs that
// git-annex (or git, for the filter-process configured by init) starts by
// name are the real ones too, never a Trove installed as git-annex.
func RunAnnex(t testing.TB, dir string, args ...string) string {
	t.Helper()
	bin := RequireGitAnnex(t)
	cmd := Command(t, dir, bin, args...)
	cmd.Env = prependPath(cmd.Env, filepath.Dir(bin))
	return run(t, cmd)
}

// run runs cmd and returns its standard output, failing t on error.
func run(t testing.TB, cmd *exec.Cmd) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s (in %s): %v\nstderr:\n%s", strings.Join(cmd.Args, " "), cmd.Dir, err, stderr.String())
	}
	return stdout.String()
}

// prependPath returns env with dir put first in its PATH entry.
func prependPath(env []string, dir string) []string {
	out := make([]string, 0, len(env)+1)
	path := dir
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = dir + string(os.PathListSeparator) + v
			continue
		}
		out = append(out, kv)
	}
	return append(out, "PATH="+path)
}
