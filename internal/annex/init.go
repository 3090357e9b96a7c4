package annex

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/troveproject/trove/internal/clock"
	"github.com/troveproject/trove/internal/config"
	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/uuid"
)

// InitOptions are the choices `git annex init` offers.
type InitOptions struct {
	// Description is recorded in uuid.log; "" keeps an existing one or
	// records git-annex's default, user@host:path.
	Description string
	// Version is the repository version to write (8, 9 or 10; 0 = 10).
	Version int
	// ConfigParams are -c name=value settings for every git call.
	ConfigParams []string
	// Dir is the directory the command runs in ("" = the process's).
	Dir string
	// Clock stamps log entries; nil means the system clock.
	Clock clock.Clock

	// auto is set when a command initialises a clone implicitly.
	auto bool
	// peer is set when the repository is initialised as another's local
	// git remote (see Options.peer).
	peer bool
}

// ErrNoAnnex is returned by Init in a repository that has a .noannex file.
var ErrNoAnnex = errors.New("repository has a .noannex file")

// hookScripts are the hooks init installs in non-bare repositories, with
// exactly git-annex's content.
var hookScripts = map[string]string{
	"pre-commit":    "git annex pre-commit .",
	"post-receive":  "if git annex post-receive --help >/dev/null 2>&1; then git annex post-receive; fi",
	"post-checkout": "git annex smudge --update",
	"post-merge":    "git annex smudge --update",
}

const hookHeader = "#!/bin/sh\n# automatically configured by git-annex\n"

// Init makes the git repository containing dir a git-annex v10 repository,
// or re-initialises one (keeping its UUID). It is idempotent.
func Init(ctx context.Context, dir string, opts InitOptions) (*Repo, error) {
	g, err := gitcmd.Discover(ctx, dir)
	if err != nil {
		return nil, err
	}
	g = g.WithConfig(opts.ConfigParams...)
	if g.Top != "" {
		if _, err := os.Stat(filepath.Join(g.Top, ".noannex")); err == nil {
			return nil, fmt.Errorf("%w: %s (remove it to allow `git annex init`)", ErrNoAnnex, filepath.Join(g.Top, ".noannex"))
		}
	}
	version := opts.Version
	if version == 0 {
		version = 10
	}
	if version < 8 || version > 10 {
		return nil, fmt.Errorf("repository version %d is not supported: use 8, 9 or 10", version)
	}
	for _, d := range []string{"journal", "othertmp", "tmp"} {
		if err := os.MkdirAll(filepath.Join(annexDir(g), d), 0o755); err != nil {
			return nil, fmt.Errorf("init: %w", err)
		}
	}
	gc, err := g.ReadConfig(ctx)
	if err != nil {
		return nil, err
	}
	cfg := config.New(gc)
	here := cfg.UUID
	if here.IsZero() {
		here = uuid.New()
		if err := setConfig(ctx, g, "annex.uuid", here.String()); err != nil {
			return nil, err
		}
	}
	if !cfg.HasVersion || opts.Version != 0 {
		if err := setConfig(ctx, g, "annex.version", fmt.Sprint(version)); err != nil {
			return nil, err
		}
	}
	if !g.Bare {
		if err := installHooks(g); err != nil {
			return nil, err
		}
		if err := configureFilter(ctx, g, version); err != nil {
			return nil, err
		}
	}
	if err := writeSentinal(g); err != nil {
		return nil, err
	}
	if gc, err = g.ReadConfig(ctx); err != nil {
		return nil, err
	}
	r, err := open(ctx, g, config.New(gc), Options{ConfigParams: opts.ConfigParams, Dir: opts.Dir, Clock: opts.Clock, peer: opts.peer})
	if err != nil {
		return nil, err
	}
	if err := r.initDescription(ctx, opts.Description); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

func annexDir(g *gitcmd.Repo) string { return filepath.Join(g.CommonDir, "annex") }

func setConfig(ctx context.Context, g *gitcmd.Repo, name, value string) error {
	if err := g.ConfigSet(ctx, name, value); err != nil {
		return fmt.Errorf("set git config %s: %w", name, err)
	}
	return nil
}

// installHooks writes git-annex's hooks, leaving alone hooks the user wrote.
func installHooks(g *gitcmd.Repo) error {
	hooks := filepath.Join(g.CommonDir, "hooks")
	if err := os.MkdirAll(hooks, 0o755); err != nil {
		return fmt.Errorf("install hooks: %w", err)
	}
	for name, cmd := range hookScripts {
		path := filepath.Join(hooks, name)
		want := hookHeader + cmd + "\n"
		if old, err := os.ReadFile(path); err == nil {
			if string(old) != want {
				// A hook of the user's own: keep it. git-annex warns the same way.
				continue
			}
		}
		if err := os.WriteFile(path, []byte(want), 0o755); err != nil {
			return fmt.Errorf("install hook %s: %w", path, err)
		}
		if err := os.Chmod(path, 0o755); err != nil {
			return fmt.Errorf("install hook %s: %w", path, err)
		}
	}
	return nil
}

// configureFilter sets up the annex smudge/clean filter as git-annex's init
// does: filter.annex.* in .git/config and "* filter=annex" in
// .git/info/attributes unless some attributes file already mentions it.
func configureFilter(ctx context.Context, g *gitcmd.Repo, version int) error {
	settings := [][2]string{
		{"filter.annex.smudge", "git-annex smudge -- %f"},
		{"filter.annex.clean", "git-annex smudge --clean -- %f"},
	}
	if version >= 9 {
		settings = append(settings, [2]string{"filter.annex.process", "git-annex filter-process"})
	}
	for _, s := range settings {
		if err := setConfig(ctx, g, s[0], s[1]); err != nil {
			return err
		}
	}
	attrs := filepath.Join(g.CommonDir, "info", "attributes")
	old, err := os.ReadFile(attrs)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read %s: %w", attrs, err)
	}
	if bytes.Contains(old, []byte("filter=annex")) {
		return nil
	}
	if top, err := os.ReadFile(filepath.Join(g.Top, ".gitattributes")); err == nil && bytes.Contains(top, []byte("filter=annex")) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(attrs), 0o755); err != nil {
		return fmt.Errorf("configure filter: %w", err)
	}
	content := append(old, []byte("\n* filter=annex\n")...)
	if err := os.WriteFile(attrs, content, 0o644); err != nil {
		return fmt.Errorf("configure filter: write %s: %w", attrs, err)
	}
	return nil
}

// writeSentinal creates .git/annex/sentinal and its inode cache, which
// git-annex uses to notice a repository moved to another filesystem.
func writeSentinal(g *gitcmd.Repo) error {
	path := filepath.Join(annexDir(g), "sentinal")
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	cache := inodeCacheString(fi)
	if err := os.WriteFile(path+".cache", []byte(cache), 0o644); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	return nil
}

// defaultDescription is git-annex's description of a repository initialised
// without one: user@host:path, with a path under $HOME shown as ~/path.
func defaultDescription(top string) string {
	name := "user"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, _ := os.Hostname()
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		if rel, err := filepath.Rel(home, top); err == nil && !strings.HasPrefix(rel, "..") {
			top = "~/" + rel
		}
	}
	return name + "@" + host + ":" + top
}
