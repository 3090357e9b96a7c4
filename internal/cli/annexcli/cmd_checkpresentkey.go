package annexcli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
)

func newCheckPresentKeyCommand(g *invocation.Globals) *cobra.Command {
	var batch batchOptions
	c := &cobra.Command{
		Use:   "checkpresentkey KEY [REMOTE]",
		Short: "check if key is present in remote",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheckPresentKey(cmd.Context(), g, batch, args)
		},
	}
	addBatchFlags(c, &batch)
	return c
}

// runCheckPresentKey asks a remote (or, without one, every remote) whether
// it has a key, as git-annex's checkpresentkey plumbing. With a key
// argument the answer is the exit status: 0 present, 1 not present, 100
// when it cannot be determined (the reason on stderr). With --batch the
// optional argument is the remote, each input line a key, and each
// answer a line "1" or "0" (also for what cannot be determined). As in
// git-annex, a malformed key asked of a named remote is a failed check
// ("Bad key", status 100; "0" in batch mode), and of every remote the end
// of the command ("git-annex: Bad key", status 1).
func runCheckPresentKey(ctx context.Context, g *invocation.Globals, batch batchOptions, args []string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	var rm remote.Remote
	remoteArg := 1
	if batch.enabled {
		remoteArg = 0
	}
	switch {
	case len(args) > remoteArg+1 || (!batch.enabled && len(args) == 0):
		return s.finish(ctx, invocation.Exit(1, "git-annex: Wrong number of parameters"))
	case len(args) == remoteArg+1:
		if rm, err = s.remoteNamed(ctx, args[remoteArg]); err != nil {
			return s.finish(ctx, err)
		}
	}
	check := func(arg string) (bool, error) {
		k, err := key.Parse(arg)
		switch {
		case err != nil && rm != nil:
			return false, errBadKey
		case err != nil:
			return false, invocation.Exit(1, "git-annex: Bad key")
		case rm != nil:
			return rm.CheckPresent(ctx, k)
		}
		return s.repo.CheckPresentKey(ctx, k)
	}
	if batch.enabled {
		return s.finish(ctx, batch.each(g, func(line string) error {
			ok, err := check(line)
			if _, fatal := err.(invocation.ExitCoder); fatal || ctx.Err() != nil {
				return err
			}
			answer := "0"
			if ok {
				answer = "1"
			}
			_, err = fmt.Fprintln(g.Stdio.Out, answer)
			return err
		}))
	}
	ok, err := check(args[0])
	switch {
	case err == nil && ok:
		return s.finish(ctx, nil)
	case err == nil:
		return s.finish(ctx, invocation.Exit(1, ""))
	case ctx.Err() != nil:
		return s.finish(ctx, err)
	}
	if _, fatal := err.(invocation.ExitCoder); fatal {
		return s.finish(ctx, err)
	}
	return s.finish(ctx, invocation.Exit(100, "%v", err))
}

// errBadKey is a named remote's failed check of a malformed key, in
// git-annex's words.
var errBadKey = errors.New("Bad key")
