// Command trove is one binary with three faces, chosen by the name it was
// started as: `git-annex` (git-annex's command line), `git-annex-shell` (the
// server side of ssh remotes) and `trove` (dataset commands, plus every annex
// command under `trove annex`).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/troveproject/trove/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := startCPUProfile()
	err := cli.Main(ctx, os.Args, cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	stopProfile()
	stop()
	os.Exit(exitCode(err))
}

// exitCode maps an error returned by a command to the process exit status.
// This is the only place exit codes are decided.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ec cli.ExitCoder
	if errors.As(err, &ec) {
		if msg := ec.Error(); msg != "" && !ec.Reported() {
			fmt.Fprintln(os.Stderr, msg)
		}
		return ec.ExitCode()
	}
	if errors.Is(err, context.Canceled) {
		return 130
	}
	fmt.Fprintln(os.Stderr, err)
	return 1
}
