package main

import (
	"context"
	"path/filepath"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/troveproject/trove/internal/testutil"
)

// cmdSSHD is the testscript command `sshd`: it starts an OpenSSH server on
// a fresh 127.0.0.1 port whose remote commands run with the script's PATH
// (so `git-annex-shell` there is Trove's; set remote.NAME.annex-shell to
// use another), stopped when the script ends. It sets GIT_SSH_COMMAND and
// GIT_ANNEX_USE_GIT_SSH=1 for git, git-annex and Trove, SSH_CONFIG (the
// client configuration, host alias annextest) and SSHD_PORT. A missing
// sshd fails the script (CI installs openssh-server).
func cmdSSHD(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: sshd")
	}
	s, err := testutil.StartSSHD(context.Background(), filepath.Join(ts.Getenv("WORK"), ".sshd"), ts.Getenv("PATH"))
	if err != nil {
		ts.Fatalf("sshd: %v", err)
	}
	ts.Defer(s.Stop)
	ts.Setenv("SSH_CONFIG", s.Config)
	ts.Setenv("SSHD_PORT", strconv.Itoa(s.Port))
	ts.Setenv("GIT_SSH_COMMAND", s.SSHCommand())
	ts.Setenv("GIT_ANNEX_USE_GIT_SSH", "1")
}
