package annex

import (
	"context"
	"fmt"
	"sync"

	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/policy"
)

// configLogPath is the branch file of repository-wide settings (git annex config).
const configLogPath = "config.log"

// largeFiles decides, per file, whether `add` annexes it or adds it to git,
// and whether it is added unlocked, as git-annex does: annex.largefiles from
// git config, else the annex.largefiles attribute, else config.log; dotfiles
// go to git unless annex.dotfiles is set.
type largeFiles struct {
	forceLarge, forceSmall bool
	dotfiles               bool
	fromGit                *policy.Expr // git config annex.largefiles, nil when unset
	fromLog                *policy.Expr // config.log annex.largefiles, nil when unset
	unlockedExpr           *policy.Expr // annex.addunlocked

	attrs *gitcmd.CheckAttr // started on first use
	mu    sync.Mutex
	git   *gitcmd.Repo
	exprs map[string]*policy.Expr // parsed attribute values
}

// newLargeFiles reads the settings add needs.
func (r *Repo) newLargeFiles(ctx context.Context, forceLarge, forceSmall bool) (*largeFiles, error) {
	lf := &largeFiles{forceLarge: forceLarge, forceSmall: forceSmall, git: r.git, exprs: map[string]*policy.Expr{}}
	logged, err := r.configLog(ctx)
	if err != nil {
		return nil, err
	}
	setting := func(name, fromGit string, hasGit bool) (string, bool) {
		if hasGit {
			return fromGit, true
		}
		v, ok := logged[name]
		return v, ok && v != ""
	}
	if v, ok := setting("annex.largefiles", r.cfg.LargeFiles, r.cfg.HasLargeFiles); ok {
		x, err := policy.LargeFiles(v)
		if err != nil {
			return nil, fmt.Errorf("annex.largefiles: %w", err)
		}
		if r.cfg.HasLargeFiles {
			lf.fromGit = x
		} else {
			lf.fromLog = x
		}
	}
	dot, hasDot := r.cfg.Git().Get("annex.dotfiles")
	if v, ok := setting("annex.dotfiles", dot, hasDot); ok {
		b, err := gitcmd.ParseBool(v)
		lf.dotfiles = err == nil && b
	}
	au := r.cfg.AddUnlocked
	if v, ok := setting("annex.addunlocked", au, au != ""); ok {
		x, err := policy.AddUnlocked(v)
		if err != nil {
			return nil, fmt.Errorf("annex.addunlocked: %w", err)
		}
		lf.unlockedExpr = x
	}
	return lf, nil
}

// configLog returns the current settings recorded with `git annex config`.
func (r *Repo) configLog(ctx context.Context) (map[string]string, error) {
	data, err := r.branch.Get(ctx, configLogPath)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for name, e := range logs.ParseMapLog(data) {
		out[name] = e.Value
	}
	return out, nil
}

// isLarge reports whether the file at path (relative to the top) of the
// given size belongs in the annex.
func (lf *largeFiles) isLarge(ctx context.Context, path string, size int64) (bool, error) {
	switch {
	case lf.forceLarge:
		return true, nil
	case lf.forceSmall:
		return false, nil
	case !lf.dotfiles && isDotfile(path):
		return false, nil
	}
	x := lf.fromGit
	if x == nil {
		var err error
		if x, err = lf.attribute(ctx, path); err != nil {
			return false, err
		}
	}
	if x == nil {
		x = lf.fromLog
	}
	if x == nil {
		return true, nil
	}
	return x.Match(ctx, nil, fileSubject{path: path, size: size})
}

// configured reports whether annex.largefiles is set for path anywhere
// (git config, attribute or config.log). Without it, git add keeps new
// files in git.
func (lf *largeFiles) configured(ctx context.Context, path string) bool {
	if lf.fromGit != nil || lf.fromLog != nil {
		return true
	}
	x, err := lf.attribute(ctx, path)
	return err == nil && x != nil
}

// addUnlocked reports whether annex.addunlocked asks for path to be added
// unlocked.
func (lf *largeFiles) addUnlocked(path string, size int64) bool {
	if lf.unlockedExpr == nil {
		return false
	}
	ok, err := lf.unlockedExpr.Match(context.Background(), nil, fileSubject{path: path, size: size})
	return err == nil && ok
}

// attribute returns the annex.largefiles attribute of path, parsed, or nil.
func (lf *largeFiles) attribute(ctx context.Context, path string) (*policy.Expr, error) {
	lf.mu.Lock()
	defer lf.mu.Unlock()
	if lf.attrs == nil {
		a, err := lf.git.NewCheckAttr(context.WithoutCancel(ctx), "annex.largefiles")
		if err != nil {
			return nil, err
		}
		lf.attrs = a
	}
	vals, err := lf.attrs.Check(ctx, path)
	if err != nil {
		return nil, err
	}
	v, ok := vals["annex.largefiles"]
	if !ok || v == gitcmd.AttrSet || v == gitcmd.AttrUnset || v == "" {
		return nil, nil
	}
	if x, ok := lf.exprs[v]; ok {
		return x, nil
	}
	x, err := policy.LargeFiles(v)
	if err != nil {
		return nil, fmt.Errorf("annex.largefiles attribute of %s: %w", path, err)
	}
	lf.exprs[v] = x
	return x, nil
}

func (lf *largeFiles) close() {
	if lf.attrs != nil {
		_ = lf.attrs.Close()
	}
}

// fileSubject is a work tree file for policy matching.
type fileSubject struct {
	path string
	size int64
	key  key.Key
}

func (s fileSubject) Path() (string, bool) { return s.path, s.path != "" }
func (s fileSubject) Size() (int64, bool)  { return s.size, s.size >= 0 }
func (s fileSubject) Key() (key.Key, bool) { return s.key, !s.key.IsZero() }
