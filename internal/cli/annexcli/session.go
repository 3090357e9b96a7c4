package annexcli

import (
	"context"
	"errors"
	"os"

	"golang.org/x/term"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/clock"
	"github.com/troveproject/trove/internal/ui"
)

// session is one command's repository and output.
type session struct {
	g    *invocation.Globals
	repo *annex.Repo
	out  *ui.Output
}

// newOutput returns the output the invocation asks for.
func newOutput(g *invocation.Globals) *ui.Output {
	clk := clock.System()
	return ui.NewOutput(newRenderer(g, clk), clk)
}

// newRenderer returns the renderer the invocation asks for.
func newRenderer(g *invocation.Globals, clk clock.Clock) ui.Renderer {
	switch {
	case g.JSON:
		return ui.NewAnnexJSON(g.Stdio.Out, g.Stdio.Err, g.JSONProgress, g.JSONErrorMessages)
	case g.Face == invocation.FaceTrove:
		return ui.NewTrove(g.Stdio.Out, g.Stdio.Err, ui.TroveOptions{Live: isTerminal(g.Stdio.Err), Quiet: g.Quiet, Clock: clk})
	}
	return ui.NewAnnexHuman(g.Stdio.Out, g.Stdio.Err, g.Quiet, clk)
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// openSession opens the repository the command runs in.
func openSession(ctx context.Context, g *invocation.Globals) (*session, error) {
	repo, err := annex.Open(ctx, annex.Options{ConfigParams: g.ConfigParams, Dir: g.Dir})
	if err != nil {
		return nil, commandError(err)
	}
	if g.Force {
		repo.IgnoreDiskReserve()
	}
	return &session{g: g, repo: repo, out: newOutput(g)}, nil
}

// commandError turns an error that ends a command into the message the
// user sees.
func commandError(err error) error {
	var ec invocation.ExitCoder
	if errors.As(err, &ec) {
		return err
	}
	return invocation.Exit(1, "git-annex: %v", err)
}

// finish commits the command's changes to the git-annex branch, closes the
// output and returns the command's exit status as an error.
func (s *session) finish(ctx context.Context, runErr error) error {
	committed, cerr := s.repo.Commit(context.WithoutCancel(ctx))
	if committed {
		s.out.SideAction("recording state in git")
	}
	closeErr := s.repo.Close()
	outErr := s.out.Close()
	switch {
	case runErr != nil:
		return commandError(runErr)
	case cerr != nil:
		return commandError(cerr)
	case closeErr != nil:
		return commandError(closeErr)
	case outErr != nil:
		return commandError(outErr)
	case s.out.Failed() > 0:
		return invocation.Failed()
	}
	return nil
}

// resolveInputs converts command-line paths to repository paths, reporting
// the ones outside the repository as failed actions of command.
func (s *session) resolveInputs(command string, args []string) []string {
	var out []string
	for _, a := range args {
		p, err := s.repo.Paths().ToRepo(a)
		if err != nil {
			t := s.out.Begin(ui.Action{Command: command, File: a, Input: []string{a}})
			t.Warn(err.Error())
			t.End(false, nil)
			continue
		}
		out = append(out, p)
	}
	if len(args) > 0 && len(out) == 0 {
		return nil
	}
	return out
}

// hadInputs reports whether resolveInputs dropped every input, in which
// case the command has nothing to do.
func hadInputs(args, resolved []string) bool { return len(args) == 0 || len(resolved) > 0 }
