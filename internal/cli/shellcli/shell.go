package shellcli

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/sshcmd"
)

// Environment variables that restrict what a client may do.
const (
	envReadOnly   = "GIT_ANNEX_SHELL_READONLY"
	envAppendOnly = "GIT_ANNEX_SHELL_APPENDONLY"
	envLimited    = "GIT_ANNEX_SHELL_LIMITED"
	envDirectory  = "GIT_ANNEX_SHELL_DIRECTORY"
)

// access is what a command needs.
type access int

const (
	readAccess access = iota
	appendAccess
	writeAccess
)

// builtin is a git-annex-shell plumbing command.
type builtin struct {
	access access
	run    func(ctx context.Context, s *shell, rq request) error
}

var builtins = map[string]builtin{
	"configlist":    {readAccess, runConfigList},
	"notifychanges": {readAccess, runUnsupported},
	"p2pstdio":      {readAccess, runP2PStdio},
	"inannex":       {readAccess, runInAnnex},
	"lockcontent":   {readAccess, runLockContent},
	"sendkey":       {readAccess, runUnsupported},
	"transferinfo":  {readAccess, runTransferInfo},
	"recvkey":       {appendAccess, runUnsupported},
	"commit":        {appendAccess, runCommit},
	"dropkey":       {writeAccess, runDropKey},
	"gcryptsetup":   {writeAccess, runUnsupported},
}

// shell is one run of git-annex-shell.
type shell struct {
	g      *invocation.Globals
	getenv func(string) string
}

// Run runs git-annex-shell with args (without the program name), reading
// the restrictions from the process environment.
func Run(ctx context.Context, g *invocation.Globals, args []string) error {
	s := &shell{g: g, getenv: os.Getenv}
	return s.run(ctx, args)
}

func (s *shell) fail(format string, args ...any) error {
	return invocation.Exit(1, "git-annex-shell: "+format, args...)
}

func (s *shell) run(ctx context.Context, args []string) error {
	words := args
	if len(args) > 0 && args[0] == "-c" {
		if len(args) < 2 {
			return s.fail("bad parameters")
		}
		var err error
		if words, err = splitShellWords(strings.Join(args[1:], " ")); err != nil {
			return s.fail("bad parameters: %v", err)
		}
		if len(words) > 0 && filepath.Base(words[0]) == "git-annex-shell" {
			words = words[1:]
		}
	}
	if len(words) == 0 {
		return s.fail("bad parameters")
	}
	b, ok := builtins[words[0]]
	if !ok {
		return s.passthrough(ctx, words)
	}
	if err := s.allowed(b.access); err != nil {
		return err
	}
	rq, err := parseRequest(words)
	if err != nil {
		return s.fail("%v", err)
	}
	if rq.dir, err = s.checkDir(rq.dir); err != nil {
		return err
	}
	return b.run(ctx, s, rq)
}

// allowed applies GIT_ANNEX_SHELL_READONLY and _APPENDONLY.
func (s *shell) allowed(a access) error {
	switch {
	case a != readAccess && s.getenv(envReadOnly) != "":
		return s.fail("Action blocked by %s", envReadOnly)
	case a == writeAccess && s.getenv(envAppendOnly) != "":
		return s.fail("Action blocked by %s", envAppendOnly)
	}
	return nil
}

// checkDir resolves the client's directory and applies
// GIT_ANNEX_SHELL_DIRECTORY.
func (s *shell) checkDir(dir string) (string, error) {
	path, err := resolveDir(dir)
	if err != nil {
		return "", s.fail("cannot find the directory %s: %v", dir, err)
	}
	if only := s.getenv(envDirectory); only != "" {
		if canonical(only) != canonical(path) {
			return "", s.fail("Only allowed to access %s not %s", only, dir)
		}
	}
	return path, nil
}

func canonical(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	return filepath.Clean(p)
}

// passthrough hands a command git-annex-shell does not know (git's own
// git-upload-pack, git-receive-pack, git-upload-archive) to git-shell,
// unless GIT_ANNEX_SHELL_LIMITED is set. Pushing is refused when
// GIT_ANNEX_SHELL_READONLY is set.
func (s *shell) passthrough(ctx context.Context, words []string) error {
	if s.getenv(envLimited) != "" {
		return s.fail("Action blocked by %s", envLimited)
	}
	if words[0] == "git-receive-pack" && s.getenv(envReadOnly) != "" {
		return s.fail("Action blocked by %s", envReadOnly)
	}
	if len(words) > 1 && s.getenv(envDirectory) != "" {
		if _, err := s.checkDir(words[1]); err != nil {
			return err
		}
	}
	quoted := make([]string, len(words)-1)
	for i, w := range words[1:] {
		quoted[i] = sshcmd.ShellQuote(w)
	}
	line := strings.TrimSpace(words[0] + " " + strings.Join(quoted, " "))
	code, err := sshcmd.GitShell(ctx, line, s.g.Stdio.In, s.g.Stdio.Out, s.g.Stdio.Err)
	if err != nil {
		return s.fail("%v", err)
	}
	if code != 0 {
		return invocation.Exit(code, "git-annex-shell: git-shell failed")
	}
	return nil
}

func runUnsupported(_ context.Context, s *shell, rq request) error {
	return s.fail("%s is not supported by Trove's git-annex-shell; use a git-annex that speaks the P2P protocol (p2pstdio)", rq.cmd)
}
