package testutil

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
)

// SSHD is an OpenSSH server on 127.0.0.1 with its own host key, accepting
// one throw-away user key for the current user. Remote commands run with
// the PATH it was started with, so that `git-annex-shell` there is the one
// under test.
type SSHD struct {
	// Port is the port it listens on; Dir holds its files.
	Port int
	Dir  string
	// Config is an ssh client configuration file (ssh -F) defining the
	// host alias "annextest" (and matching localhost and 127.0.0.1) with
	// the port, the user key, and no host-key prompts.
	Config string

	cmd  *exec.Cmd
	done chan struct{} // closed when sshd has exited
}

// SSHCommand is the GIT_SSH_COMMAND that reaches the server.
func (s *SSHD) SSHCommand() string { return "ssh -F " + s.Config }

// Env are the environment entries that make git and git-annex (and Trove)
// use the server's client configuration.
func (s *SSHD) Env() []string {
	return []string{"GIT_SSH_COMMAND=" + s.SSHCommand(), "GIT_ANNEX_USE_GIT_SSH=1"}
}

// StartSSHD starts sshd with its files in dir (created if needed), a
// free port, and sessionPath as the PATH of remote commands. It returns
// once sshd listens. Stop it with Stop.
func StartSSHD(ctx context.Context, dir, sessionPath string) (*SSHD, error) {
	sshd, err := exec.LookPath("sshd")
	if err != nil {
		if sshd, err = exec.LookPath("/usr/sbin/sshd"); err != nil {
			return nil, fmt.Errorf("sshd is not installed (apt-get install openssh-server): %w", err)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		// sshd's privilege separation directory, normally made by its
		// service unit.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			return nil, err
		}
	}
	hostKey, userKey := filepath.Join(dir, "host_key"), filepath.Join(dir, "user_key")
	for _, k := range []string{hostKey, userKey} {
		if _, err := os.Stat(k); err == nil {
			continue
		}
		if out, err := exec.CommandContext(ctx, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", k).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("ssh-keygen %s: %w: %s", k, err, out)
		}
	}
	pub, err := os.ReadFile(userKey + ".pub")
	if err != nil {
		return nil, err
	}
	authKeys := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(authKeys, pub, 0o600); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	u, err := user.Current()
	if err != nil {
		return nil, err
	}
	serverCfg := filepath.Join(dir, "sshd_config")
	err = os.WriteFile(serverCfg, []byte(fmt.Sprintf(`ListenAddress 127.0.0.1:%d
HostKey %s
AuthorizedKeysFile %s
PidFile %s
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
MaxSessions 100
MaxStartups 100
LogLevel INFO
SetEnv PATH=%s
`, port, hostKey, authKeys, filepath.Join(dir, "sshd.pid"), sessionPath)), 0o600)
	if err != nil {
		return nil, err
	}
	clientCfg := filepath.Join(dir, "ssh_config")
	err = os.WriteFile(clientCfg, []byte(fmt.Sprintf(`Host annextest localhost 127.0.0.1
	HostName 127.0.0.1
	Port %d
	User %s
	IdentityFile %s
	IdentitiesOnly yes
	StrictHostKeyChecking no
	UserKnownHostsFile /dev/null
	LogLevel ERROR
	BatchMode yes
`, port, u.Username, userKey)), 0o600)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(sshd, "-D", "-e", "-f", serverCfg)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", sshd, err)
	}
	s := &SSHD{Port: port, Dir: dir, Config: clientCfg, cmd: cmd, done: make(chan struct{})}
	// sshd says when it listens; the rest of its log is kept in a file.
	listening := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		log, _ := os.Create(filepath.Join(dir, "sshd.log"))
		signalled := false
		for sc.Scan() {
			if log != nil {
				fmt.Fprintln(log, sc.Text())
			}
			if !signalled && strings.Contains(sc.Text(), "Server listening on") {
				listening <- nil
				signalled = true
			}
		}
		if !signalled {
			listening <- errors.New("sshd exited before listening")
		}
		_, _ = io.Copy(io.Discard, stderr)
		if log != nil {
			log.Close()
		}
		_ = cmd.Wait() // it is killed by Stop: the status says nothing
		close(s.done)
	}()
	select {
	case err := <-listening:
		if err != nil {
			log, _ := os.ReadFile(filepath.Join(dir, "sshd.log"))
			return nil, fmt.Errorf("%w: %s", err, log)
		}
	case <-ctx.Done():
		s.Stop()
		return nil, ctx.Err()
	}
	return s, nil
}

// Stop kills sshd (by its PID) and waits for it; calling it again does
// nothing. Sessions it started keep running until their clients end them.
func (s *SSHD) Stop() {
	_ = s.cmd.Process.Kill()
	<-s.done
}

// SSHDTest starts an sshd for t (see StartSSHD) whose remote commands run
// with sessionPath as PATH, and stops it when t ends. Without sshd it
// skips t, unless the environment variable CI is set: then it fails.
func SSHDTest(t testing.TB, sessionPath string) *SSHD {
	t.Helper()
	s, err := StartSSHD(context.Background(), TempDir(t), sessionPath)
	if err != nil {
		if _, lerr := exec.LookPath("sshd"); lerr != nil && os.Getenv("CI") == "" {
			if _, serr := os.Stat("/usr/sbin/sshd"); serr != nil {
				t.Skipf("testutil: sshd is not installed (apt-get install openssh-server): %v", err)
			}
		}
		t.Fatalf("testutil: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}
