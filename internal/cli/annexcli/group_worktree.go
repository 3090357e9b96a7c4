package annexcli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

// worktreeCommands are the commands that change how files sit in the work
// tree: unlock, lock, fromkey, unannex, uninit and the git hooks.
func worktreeCommands(g *invocation.Globals) []*cobra.Command {
	return []*cobra.Command{
		newUnlockCommand(g),
		newLockCommand(g),
		newFromKeyCommand(g),
		newUnannexCommand(g),
		newUninitCommand(g),
		newPreCommitCommand(g),
		newPostReceiveCommand(g),
	}
}

// worktreeInputs resolves a work-tree command's arguments, returning the
// repository paths and a map from each back to the argument as typed
// (which git-annex echoes in JSON "input"). ok is false when every
// argument was outside the repository.
func (s *session) worktreeInputs(command string, args []string) (inputs []string, typed map[string]string, ok bool) {
	inputs = s.resolveInputs(command, args)
	typed = map[string]string{}
	for _, a := range args {
		if p, err := s.repo.Paths().ToRepo(a); err == nil {
			typed[p] = a
		}
	}
	return inputs, typed, hadInputs(args, inputs)
}

// fileEmitter renders the per-file results of a work-tree command as
// git-annex does: "COMMAND FILE ok" (or the JSON record with the key), and
// for an input git does not know, git's pathspec error and a failure.
func (s *session) fileEmitter(command string, typed map[string]string) func(annex.FileResult) {
	return func(res annex.FileResult) {
		in := typed[res.Input]
		if in == "" {
			in = s.repo.Paths().ToUser(res.File)
		}
		var nf *annex.NotFoundError
		if errors.As(res.Err, &nf) {
			fmt.Fprintf(s.g.Stdio.Err, "error: pathspec '%s' did not match any file(s) known to git\nDid you forget to 'git add'?\n", in)
			s.out.Fail(command)
			return
		}
		a := ui.Action{Command: command, File: s.repo.Paths().ToUser(res.File), Input: []string{in}}
		if !res.Key.IsZero() {
			a.Key = res.Key.String()
		}
		t := s.out.Begin(a)
		if res.Err != nil {
			t.Warn(res.Err.Error())
		}
		t.End(res.Err == nil, nil)
	}
}

// staged reports git-annex's "(recording state in git...)" after a command
// changed the index.
func (s *session) staged(changed bool) {
	if changed {
		s.out.SideAction("recording state in git")
	}
}
