package gitcmd

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
)

// ConfigEntry is one variable assignment in git's configuration.
type ConfigEntry struct {
	Name    string // canonical: section and key lower-case, subsection as written
	Value   string
	NoValue bool // "[section] key" with no "=": true as a bool, "" as a string
}

// Config is a snapshot of every git configuration variable visible to a
// repository (system, global, local, worktree and -c parameters), in git's
// order. It is read-only and safe for concurrent use.
type Config struct {
	entries []ConfigEntry
	byName  map[string][]int
}

// ReadConfig reads the whole configuration with one `git config -z --list`.
func (r *Repo) ReadConfig(ctx context.Context) (*Config, error) {
	out, err := r.Run(ctx, "config", "-z", "--list")
	if err != nil {
		return nil, fmt.Errorf("read git config: %w", err)
	}
	return ParseConfigList(out)
}

// ParseConfigList parses `git config -z --list` output: records
// "NAME\nVALUE\0", or "NAME\0" for a variable without a value.
func ParseConfigList(out []byte) (*Config, error) {
	var entries []ConfigEntry
	for len(out) > 0 {
		rec, rest, ok := bytes.Cut(out, []byte{0})
		if !ok {
			return nil, fmt.Errorf("git config --list: unterminated record %q", out)
		}
		out = rest
		name, value, hasValue := strings.Cut(string(rec), "\n")
		if name == "" {
			return nil, fmt.Errorf("git config --list: record without a name %q", rec)
		}
		entries = append(entries, ConfigEntry{Name: CanonicalConfigName(name), Value: value, NoValue: !hasValue})
	}
	return NewConfig(entries), nil
}

// NewConfig builds a snapshot from entries in precedence order (later wins).
// Names are canonicalised.
func NewConfig(entries []ConfigEntry) *Config {
	c := &Config{entries: make([]ConfigEntry, len(entries)), byName: make(map[string][]int)}
	for i, e := range entries {
		e.Name = CanonicalConfigName(e.Name)
		c.entries[i] = e
		c.byName[e.Name] = append(c.byName[e.Name], i)
	}
	return c
}

// CanonicalConfigName lower-cases the section and key of a variable name and
// keeps the subsection (between the first and last dot) as written.
func CanonicalConfigName(name string) string {
	first := strings.IndexByte(name, '.')
	last := strings.LastIndexByte(name, '.')
	if first < 0 {
		return strings.ToLower(name)
	}
	return strings.ToLower(name[:first]) + name[first:last] + strings.ToLower(name[last:])
}

// Entries returns every entry in order. The slice must not be modified.
func (c *Config) Entries() []ConfigEntry { return c.entries }

// Get returns the last value of name and whether it is set at all.
func (c *Config) Get(name string) (string, bool) {
	idx := c.byName[CanonicalConfigName(name)]
	if len(idx) == 0 {
		return "", false
	}
	return c.entries[idx[len(idx)-1]].Value, true
}

// GetAll returns every value of name in order.
func (c *Config) GetAll(name string) []string {
	idx := c.byName[CanonicalConfigName(name)]
	vals := make([]string, len(idx))
	for i, j := range idx {
		vals[i] = c.entries[j].Value
	}
	return vals
}

// GetBool returns the last value of name as a git boolean, or def when name
// is unset. An invalid value is an error naming the variable.
func (c *Config) GetBool(name string, def bool) (bool, error) {
	idx := c.byName[CanonicalConfigName(name)]
	if len(idx) == 0 {
		return def, nil
	}
	e := c.entries[idx[len(idx)-1]]
	if e.NoValue {
		return true, nil
	}
	b, err := ParseBool(e.Value)
	if err != nil {
		return def, fmt.Errorf("config %s: %w", name, err)
	}
	return b, nil
}

// GetInt returns the last value of name as a git integer (optional k, m or g
// suffix, case-insensitive, ×1024 each), or def when name is unset.
func (c *Config) GetInt(name string, def int64) (int64, error) {
	v, ok := c.Get(name)
	if !ok {
		return def, nil
	}
	n, err := ParseInt(v)
	if err != nil {
		return def, fmt.Errorf("config %s: %w", name, err)
	}
	return n, nil
}

// Subsections returns the distinct subsections of section (e.g. the remote
// names for "remote") in order of first appearance.
func (c *Config) Subsections(section string) []string {
	prefix := strings.ToLower(section) + "."
	var subs []string
	seen := make(map[string]bool)
	for _, e := range c.entries {
		rest, ok := strings.CutPrefix(e.Name, prefix)
		last := strings.LastIndexByte(rest, '.')
		if !ok || last < 0 {
			continue
		}
		if sub := rest[:last]; !seen[sub] {
			seen[sub] = true
			subs = append(subs, sub)
		}
	}
	return subs
}

// ParseBool parses a git boolean: true/yes/on/1 and false/no/off/0/"" in
// any case, or any integer (non-zero is true).
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true, nil
	case "false", "no", "off", "":
		return false, nil
	}
	n, err := ParseInt(s)
	if err != nil {
		return false, fmt.Errorf("bad boolean value %q", s)
	}
	return n != 0, nil
}

// ParseInt parses a git integer: decimal with an optional k, m or g suffix.
func ParseInt(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	if t != "" {
		switch t[len(t)-1] {
		case 'k', 'K':
			mult = 1 << 10
		case 'm', 'M':
			mult = 1 << 20
		case 'g', 'G':
			mult = 1 << 30
		}
		if mult != 1 {
			t = t[:len(t)-1]
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || (n != 0 && (n*mult)/mult != n) {
		return 0, fmt.Errorf("bad integer value %q", s)
	}
	return n * mult, nil
}

// ConfigSet sets name to value in the repository's own config file,
// replacing every existing value.
func (r *Repo) ConfigSet(ctx context.Context, name, value string) error {
	_, err := r.Run(ctx, "config", "--local", "--replace-all", name, value)
	return err
}

// ConfigAdd adds a value for name in the repository's own config file.
func (r *Repo) ConfigAdd(ctx context.Context, name, value string) error {
	_, err := r.Run(ctx, "config", "--local", "--add", name, value)
	return err
}

// ConfigUnset removes every value of name from the repository's own config
// file. Unsetting an unset variable is not an error.
func (r *Repo) ConfigUnset(ctx context.Context, name string) error {
	_, err := r.Run(ctx, "config", "--local", "--unset-all", name)
	if exitCode(err) == 5 {
		return nil
	}
	return err
}
