package sshcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
)

// GitShell runs `git-shell -c cmdline` with the given streams: the server
// side of git's own commands over ssh (git-upload-pack, git-receive-pack,
// git-upload-archive), which git-annex-shell hands to git-shell. It
// returns the exit status git-shell ended with (0 on success); the error
// is non-nil only when git-shell could not be run.
func GitShell(ctx context.Context, cmdline string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	cmd := exec.CommandContext(ctx, "git-shell", "-c", cmdline)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), nil
	}
	if err != nil {
		return -1, fmt.Errorf("run git-shell -c %q: %w", cmdline, err)
	}
	return 0, nil
}
