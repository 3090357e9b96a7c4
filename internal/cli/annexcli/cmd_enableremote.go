package annexcli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/ui"
)

func newEnableRemoteCommand(g *invocation.Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "enableremote NAME PARAM=VALUE ...",
		Short: "enables git-annex to use a remote",
		RunE: func(cmd *cobra.Command, args []string) error {
			name, params := "", []string(nil)
			if len(args) > 0 {
				name, params = args[0], args[1:]
			}
			return runEnableRemote(cmd.Context(), g, name, params)
		},
	}
}

func runEnableRemote(ctx context.Context, g *invocation.Globals, name string, params []string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	s.routeRemoteMessages()
	if name == "" {
		_, err := s.repo.EnableRemote(ctx, annex.EnableRemoteOptions{})
		return s.finish(ctx, err)
	}
	var t *ui.Task
	if known, err := s.repo.SpecialRemotes(ctx); err == nil {
		for _, sr := range known {
			if sr.Name == name {
				t = s.out.Begin(ui.Action{Command: "enableremote", File: name})
				break
			}
		}
	}
	if t == nil {
		if _, ok := s.repo.Config().Remote(name); ok {
			t = s.out.Begin(ui.Action{Command: "enableremote", File: name})
		}
	}
	opts := annex.EnableRemoteOptions{Name: name, Params: params}
	if t != nil {
		opts.Note = t.Note
	}
	_, err = s.repo.EnableRemote(ctx, opts)
	if t == nil || errors.Is(err, annex.ErrRemoteUsage) {
		return s.finish(ctx, err)
	}
	s.endSetup(t, err)
	return s.finish(ctx, nil)
}

// autoEnableRemotes enables the autoenable=true special remotes as part
// of init's action t, in git-annex's words; a remote that cannot be
// enabled is a warning, not a failure of init.
func (s *session) autoEnableRemotes(ctx context.Context, t *ui.Task) {
	s.routeRemoteMessages()
	err := s.repo.AutoEnableRemotes(ctx, func(name string, done bool, err error) {
		switch {
		case !done:
			t.Note("Auto enabling special remote " + name + "...")
		case err != nil:
			t.Warn(err.Error())
		}
	})
	if err != nil {
		t.Warn(err.Error())
	}
}
