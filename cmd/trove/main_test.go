package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/troveproject/trove/internal/cli"
)

// TestMain makes this test binary act as `trove` and `git-annex` when the
// scripts run those names, so git's filter and hook invocations of git-annex
// reach the code under test too.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"trove":           mainEntry,
		"git-annex":       mainEntry,
		"git-annex-shell": mainEntry,
	})
}

func mainEntry() {
	err := cli.Main(context.Background(), os.Args, cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	os.Exit(exitCode(err))
}

// TestScripts runs the end-to-end scenarios in testdata/script. Scenarios
// that compare with the real git-annex call it as `realannex`; when it is
// not installed they are skipped, except under CI, where that is a failure.
func TestScripts(t *testing.T) {
	// testscript puts our git-annex first in PATH; find the real one.
	real, realErr := findRealAnnex()
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			home := filepath.Join(env.WorkDir, ".home")
			if err := os.MkdirAll(home, 0o755); err != nil {
				return err
			}
			gitconfig := "[user]\n\tname = Trove Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n"
			if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte(gitconfig), 0o644); err != nil {
				return err
			}
			env.Setenv("HOME", home)
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			env.Setenv("GIT_AUTHOR_DATE", "2023-11-14T22:13:20Z")
			env.Setenv("GIT_COMMITTER_DATE", "2023-11-14T22:13:20Z")
			env.Setenv("REALANNEX", real)
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "realannex":
				if realErr != nil && os.Getenv("CI") != "" {
					t.Fatalf("the real git-annex is required under CI: %v", realErr)
				}
				return realErr == nil, nil
			case "root":
				return os.Geteuid() == 0, nil
			}
			return false, nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"realannex":    cmdRealAnnex(real),
			"httpserve":    cmdHTTPServe,
			"sshd":         cmdSSHD,
			"webdavserver": cmdWebDAVServer,
			"s3server":     cmdS3Server,
		},
	})
}

// cmdRealAnnex runs the real git-annex with a PATH in which `git-annex`
// is the real one, so git's filter and hooks in the repository call it too.
func cmdRealAnnex(real string) func(ts *testscript.TestScript, neg bool, args []string) {
	return func(ts *testscript.TestScript, neg bool, args []string) {
		if real == "" {
			ts.Fatalf("realannex: git-annex is not installed")
		}
		dir := filepath.Dir(real)
		path := dir + string(os.PathListSeparator) + "/usr/bin" + string(os.PathListSeparator) + "/bin"
		ts.Setenv("SAVED_PATH", ts.Getenv("PATH"))
		ts.Setenv("PATH", path)
		defer ts.Setenv("PATH", ts.Getenv("SAVED_PATH"))
		err := ts.Exec(real, args...)
		if err != nil && !neg {
			ts.Fatalf("realannex %v: %v", args, err)
		}
		if err == nil && neg {
			ts.Fatalf("realannex %v unexpectedly succeeded", args)
		}
	}
}

// findRealAnnex returns the first git-annex on PATH that is not this test
// binary, which testscript links into a directory it puts first in PATH.
func findRealAnnex() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	selfInfo, err := os.Stat(self)
	if err != nil {
		return "", err
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		p, err := exec.LookPath(filepath.Join(dir, "git-annex"))
		if err != nil {
			continue
		}
		if fi, err := os.Stat(p); err != nil || os.SameFile(fi, selfInfo) {
			continue
		}
		return filepath.EvalSymlinks(p)
	}
	return "", exec.ErrNotFound
}
