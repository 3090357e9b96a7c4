package annexcli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

// specialRemoteCommands are the commands that set up special remotes.
func specialRemoteCommands(g *invocation.Globals) []*cobra.Command {
	return []*cobra.Command{newInitRemoteCommand(g), newEnableRemoteCommand(g), newConfigRemoteCommand(g), newRenameRemoteCommand(g)}
}

func newInitRemoteCommand(g *invocation.Globals) *cobra.Command {
	var opts annex.InitRemoteOptions
	c := &cobra.Command{
		Use:   "initremote NAME PARAM=VALUE ...",
		Short: "creates a special (non-git) remote",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				opts.Name, opts.Params = args[0], args[1:]
			}
			return runInitRemote(cmd.Context(), g, opts)
		},
	}
	c.Flags().StringVar(&opts.SameAs, "sameas", "", "new remote that accesses the same data")
	c.Flags().BoolVar(&opts.Private, "private", false, "keep special remote information out of git-annex branch")
	c.Flags().BoolP("whatelse", "w", false, "describe other configuration parameters for a special remote")
	return c
}

func runInitRemote(ctx context.Context, g *invocation.Globals, opts annex.InitRemoteOptions) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	s.routeRemoteMessages()
	if err := s.repo.CheckInitRemote(ctx, opts); err != nil {
		return s.finish(ctx, err)
	}
	t := s.out.Begin(ui.Action{Command: "initremote", File: opts.Name})
	opts.Note = t.Note
	_, err = s.repo.InitRemote(ctx, opts)
	if errors.Is(err, annex.ErrRemoteUsage) {
		return s.finish(ctx, err)
	}
	s.endSetup(t, err)
	return s.finish(ctx, nil)
}

// endSetup ends a special remote setup action, showing err as git-annex
// does: the action's line is ended, "git-annex: ..." goes to stderr, then
// "failed" follows on its own line.
func (s *session) endSetup(t *ui.Task, err error) {
	if err == nil {
		t.End(true, nil)
		return
	}
	if s.g.Face == invocation.FaceTrove || s.g.JSON || s.g.Quiet {
		t.Warn(err.Error())
		t.End(false, nil)
		return
	}
	fmt.Fprint(s.g.Stdio.Out, "\n")
	fmt.Fprintf(s.g.Stdio.Err, "git-annex: %v\n", err)
	t.End(false, nil)
}

// routeRemoteMessages shows what special remotes say (Host.Warn and
// Info) in the command's output.
func (s *session) routeRemoteMessages() {
	s.repo.SetRemoteMessages(func(warning bool, msg string) {
		if warning {
			s.out.Warn(msg)
			return
		}
		s.out.Info(msg)
	})
}
