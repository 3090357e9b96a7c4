package annex

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/policy"
)

// CopiesSetting names one of the repository-wide copy counts kept in the
// git-annex branch.
type CopiesSetting string

// The copy-count settings, named as git-annex's commands are.
const (
	NumCopiesSetting CopiesSetting = "numcopies"
	MinCopiesSetting CopiesSetting = "mincopies"
)

func (s CopiesSetting) logPath() string {
	if s == MinCopiesSetting {
		return logs.MinCopiesLog
	}
	return logs.NumCopiesLog
}

// GlobalCopies returns the value of setting s recorded in the git-annex
// branch (numcopies.log or mincopies.log) and whether one is recorded.
func (r *Repo) GlobalCopies(ctx context.Context, s CopiesSetting) (int, bool, error) {
	data, err := r.branch.Get(ctx, s.logPath())
	if err != nil {
		return 0, false, fmt.Errorf("read %s: %w", s.logPath(), err)
	}
	e, ok := logs.ParseCopiesLog(data)
	return e.Value, ok, nil
}

// CopiesValueError is a value `git annex numcopies N` / `mincopies N`
// refuses; its message is git-annex's.
type CopiesValueError struct {
	Setting CopiesSetting
	Value   string
}

func (e *CopiesValueError) Error() string {
	n, _, ok := parseCount(e.Value)
	switch {
	case !ok:
		return "Bad number: " + e.Value
	case n < 0:
		return fmt.Sprintf("%s cannot be negative!", e.Setting)
	}
	return fmt.Sprintf("Cannot set %s to 0.", e.Setting)
}

// parseCount reads a count as git-annex's readish does.
func parseCount(s string) (int, string, bool) {
	n, err := policy.ParseNumCopies(s)
	if err != nil {
		return 0, s, false
	}
	return int(n), "", true
}

// ParseCopies parses the value given to `git annex numcopies N` or
// `mincopies N`: a positive integer as git-annex reads it. Other values
// are a *CopiesValueError.
func ParseCopies(s CopiesSetting, value string) (int, error) {
	n, _, ok := parseCount(value)
	if !ok || n <= 0 {
		return 0, &CopiesValueError{Setting: s, Value: value}
	}
	return n, nil
}

// SetGlobalCopies records n as setting s in the git-annex branch. Like
// git-annex it writes nothing when n already is the recorded value, and
// reports whether it wrote. n must be positive (see ParseCopies).
func (r *Repo) SetGlobalCopies(ctx context.Context, s CopiesSetting, n int) (bool, error) {
	if n <= 0 {
		return false, &CopiesValueError{Setting: s, Value: fmt.Sprint(n)}
	}
	cur, ok, err := r.GlobalCopies(ctx, s)
	if err != nil {
		return false, err
	}
	if ok && cur == n {
		return false, nil
	}
	now := r.now()
	err = r.changeBranch(ctx, s.logPath(), func(old []byte) []byte { return logs.SetCopiesLog(old, n, now) })
	if err != nil {
		return false, fmt.Errorf("set %s: %w", s, err)
	}
	return true, nil
}

// DeprecatedNumCopies returns the git config annex.numcopies, which
// git-annex still honours when numcopies.log is unset.
func (r *Repo) DeprecatedNumCopies() (int, bool) { return r.cfg.NumCopies, r.cfg.HasNumCopies }

// GlobalConfigNames are the git config settings that git-annex
// 10.20230126 reads from config.log in the git-annex branch.
var GlobalConfigNames = []string{
	"annex.autocommit", "annex.resolvemerge", "annex.synccontent", "annex.synconlyannex",
	"annex.securehashesonly", "annex.dotfiles", "annex.largefiles", "annex.addunlocked",
}

// localConfigToo are the settings `git annex config --set` also writes to
// the local git config, as git-annex does.
var localConfigToo = []string{"annex.securehashesonly"}

// NotGlobalConfigError reports a setting that cannot be stored in the
// git-annex branch.
type NotGlobalConfigError struct{ Name string }

func (e *NotGlobalConfigError) Error() string {
	return fmt.Sprintf("%s is not a configuration setting that can be stored in the git-annex branch (the settings that can be are %s; set others with `git config %s VALUE`)",
		e.Name, strings.Join(GlobalConfigNames, ", "), e.Name)
}

func checkGlobalConfig(name string) error {
	if !slices.Contains(GlobalConfigNames, name) {
		return &NotGlobalConfigError{Name: name}
	}
	return nil
}

// GlobalConfig returns the value of name in config.log and whether it is
// set (an empty value counts as unset, as in git-annex). Names outside
// GlobalConfigNames are a *NotGlobalConfigError.
func (r *Repo) GlobalConfig(ctx context.Context, name string) (string, bool, error) {
	if err := checkGlobalConfig(name); err != nil {
		return "", false, err
	}
	data, err := r.branch.Get(ctx, logs.ConfigLog)
	if err != nil {
		return "", false, fmt.Errorf("read %s: %w", logs.ConfigLog, err)
	}
	e, ok := logs.ParseMapLog(data)[name]
	if !ok || e.Value == "" {
		return "", false, nil
	}
	return e.Value, true, nil
}

// SetGlobalConfig records name=value in config.log (`git annex config
// --set`); an empty value unsets it. Nothing is written when the value is
// unchanged. annex.securehashesonly is set in the local git config too.
func (r *Repo) SetGlobalConfig(ctx context.Context, name, value string) error {
	if strings.ContainsAny(value, "\r\n") {
		return fmt.Errorf("config %s: a value cannot contain a newline", name)
	}
	cur, ok, err := r.GlobalConfig(ctx, name)
	if err != nil {
		return err
	}
	if !(ok && cur == value) {
		now := r.now()
		if err := r.changeBranch(ctx, logs.ConfigLog, func(old []byte) []byte {
			return logs.SetMapLog(old, name, value, now)
		}); err != nil {
			return fmt.Errorf("config %s: %w", name, err)
		}
	}
	if slices.Contains(localConfigToo, name) {
		if err := r.git.ConfigSet(ctx, name, value); err != nil {
			return fmt.Errorf("config %s: %w", name, err)
		}
	}
	return nil
}

// UnsetGlobalConfig removes name from config.log (`git annex config
// --unset`) by recording an empty value, unless it is already unset.
// annex.securehashesonly is unset in the local git config too.
func (r *Repo) UnsetGlobalConfig(ctx context.Context, name string) error {
	_, ok, err := r.GlobalConfig(ctx, name)
	if err != nil {
		return err
	}
	if ok {
		now := r.now()
		if err := r.changeBranch(ctx, logs.ConfigLog, func(old []byte) []byte {
			return logs.SetMapLog(old, name, "", now)
		}); err != nil {
			return fmt.Errorf("config %s: %w", name, err)
		}
	}
	if slices.Contains(localConfigToo, name) {
		if _, set := r.cfg.Git().Get(name); set {
			if err := r.git.ConfigUnset(ctx, name); err != nil {
				return fmt.Errorf("config %s: %w", name, err)
			}
		}
	}
	return nil
}
