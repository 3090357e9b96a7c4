// Package config gives the annex.* and remote.<name>.annex-* settings of a
// repository as typed values with git-annex's defaults, built from one
// gitcmd.Config snapshot.
//
// Parsing follows git-annex: a boolean or number that does not parse falls
// back to the default, as git-annex's getbool/getmaybebool do, rather than
// failing the command. Settings that git-annex also reads from the branch's
// config.log (annex.largefiles, annex.dotfiles, annex.addunlocked,
// annex.securehashesonly) are given here as the git config has them; merging
// with config.log is left to the caller.
package config

import (
	"runtime"
	"strconv"
	"strings"

	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/units"
	"github.com/troveproject/trove/internal/uuid"
)

// Defaults that git-annex uses when a setting is absent.
const (
	DefaultBackend            = "SHA256E"
	DefaultCommitMessage      = "update"
	DefaultMaxExtensionLength = 4
	// DefaultDiskReserve is annex.diskreserve's default, 100 megabytes.
	DefaultDiskReserve = 100_000_000
	DefaultVersion     = 10
)

// Config holds the typed settings. Fields are plain values; the zero value
// of a Has* companion means "not configured".
type Config struct {
	UUID       uuid.UUID // annex.uuid; empty when the repository is not initialised
	Version    int       // annex.version; 0 when unset
	HasVersion bool

	LargeFiles    string // annex.largefiles expression; "" when unset
	HasLargeFiles bool
	DotFiles      bool   // annex.dotfiles (default false)
	AddUnlocked   string // annex.addunlocked: "true", "false" or a matching expression; "" when unset
	AddSmallFiles bool   // annex.addsmallfiles (default true)
	GitAddToAnnex bool   // annex.gitaddtoannex (default true)
	Thin          bool   // annex.thin (default false)

	Backend            string // annex.backend, else first word of deprecated annex.backends, else DefaultBackend
	Jobs               int    // annex.jobs; "cpus" is the number of CPUs; default 1
	MaxExtensionLength int    // annex.maxextensionlength (default 4)
	NumCopies          int    // deprecated annex.numcopies; 0 when unset
	HasNumCopies       bool

	AlwaysCommit       bool   // annex.alwayscommit (default true)
	CommitMessage      string // annex.commitmessage (default "update")
	MergeAnnexBranches bool   // annex.merge-annex-branches (default true)

	ObjectHashLower bool // annex.tune.objecthashlower
	ObjectHash1     bool // annex.tune.objecthash1
	BranchHash1     bool // annex.tune.branchhash1

	SecureHashesOnly bool // annex.securehashesonly
	Retry            int  // annex.retry (default 0)

	// RetryDelaySeconds is annex.retry-delay, the delay before the first
	// configured retry in seconds, doubling after each (default 1).
	RetryDelaySeconds int
	// ForwardRetry is annex.forward-retry: how many times a transfer that
	// made progress is retried regardless of annex.retry (default 5).
	ForwardRetry int
	// StallDetection is annex.stalldetection as written ("10KiB/30s",
	// "true", "false"); "" when unset. transfer.ParseStallDetection reads it.
	StallDetection string
	// DiskReserve is annex.diskreserve in bytes: the free space downloads
	// leave (default 100 megabytes; so is a value that does not parse).
	DiskReserve int64

	SharedRepository string // core.sharedRepository as written; "" when unset
	Bare             bool   // core.bare

	Remotes []Remote // git remotes and special remotes, in config order

	git *gitcmd.Config
}

// New builds the typed settings from a git configuration snapshot. It never
// fails: unparseable values take git-annex's defaults.
func New(g *gitcmd.Config) *Config {
	c := &Config{git: g}
	c.UUID = uuid.UUID(str(g, "annex.uuid", ""))
	if v, ok := g.Get("annex.version"); ok {
		c.Version, c.HasVersion = intOr(v, 0), true
	}
	c.LargeFiles, c.HasLargeFiles = g.Get("annex.largefiles")
	c.DotFiles = boolOr(g, "annex.dotfiles", false)
	c.AddUnlocked = str(g, "annex.addunlocked", "")
	c.AddSmallFiles = boolOr(g, "annex.addsmallfiles", true)
	c.GitAddToAnnex = boolOr(g, "annex.gitaddtoannex", true)
	c.Thin = boolOr(g, "annex.thin", false)

	c.Backend = DefaultBackend
	if v, ok := g.Get("annex.backend"); ok && v != "" {
		c.Backend = v
	} else if f := strings.Fields(str(g, "annex.backends", "")); len(f) > 0 {
		c.Backend = f[0]
	}
	c.Jobs = parseJobs(str(g, "annex.jobs", ""))
	c.MaxExtensionLength = intOr(str(g, "annex.maxextensionlength", ""), DefaultMaxExtensionLength)
	if v, ok := g.Get("annex.numcopies"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			c.NumCopies, c.HasNumCopies = n, true
		}
	}

	c.AlwaysCommit = boolOr(g, "annex.alwayscommit", true)
	c.CommitMessage = str(g, "annex.commitmessage", DefaultCommitMessage)
	c.MergeAnnexBranches = boolOr(g, "annex.merge-annex-branches", true)
	c.ObjectHashLower = boolOr(g, "annex.tune.objecthashlower", false)
	c.ObjectHash1 = boolOr(g, "annex.tune.objecthash1", false)
	c.BranchHash1 = boolOr(g, "annex.tune.branchhash1", false)
	c.SecureHashesOnly = boolOr(g, "annex.securehashesonly", false)
	c.Retry = intOr(str(g, "annex.retry", ""), 0)
	c.RetryDelaySeconds = intOr(str(g, "annex.retry-delay", ""), 1)
	c.ForwardRetry = intOr(str(g, "annex.forward-retry", ""), 5)
	c.StallDetection = str(g, "annex.stalldetection", "")
	c.DiskReserve = DefaultDiskReserve
	if v, ok := g.Get("annex.diskreserve"); ok {
		if n, err := units.ParseSize(v); err == nil {
			c.DiskReserve = n
		}
	}
	c.SharedRepository = str(g, "core.sharedrepository", "")
	c.Bare = boolOr(g, "core.bare", false)
	c.Remotes = remotes(g)
	return c
}

// Git returns the snapshot the settings were built from, for settings this
// package does not type.
func (c *Config) Git() *gitcmd.Config { return c.git }

// Remote returns the remote called name.
func (c *Config) Remote(name string) (Remote, bool) {
	for _, r := range c.Remotes {
		if r.Name == name {
			return r, true
		}
	}
	return Remote{}, false
}

// RemoteSetting returns remote.<name>.annex-<setting> (type-specific
// settings such as "directory" or "externaltype").
func (c *Config) RemoteSetting(name, setting string) (string, bool) {
	return c.git.Get("remote." + name + ".annex-" + setting)
}

// parseJobs reads annex.jobs: a positive number, or "cpus".
func parseJobs(v string) int {
	if v == "cpus" {
		return runtime.NumCPU()
	}
	if n := intOr(v, 1); n > 0 {
		return n
	}
	return 1
}

// str returns the last value of name, or def when unset.
func str(g *gitcmd.Config, name, def string) string {
	if v, ok := g.Get(name); ok {
		return v
	}
	return def
}

// boolOr returns name as a git boolean, or def when unset or invalid.
func boolOr(g *gitcmd.Config, name string, def bool) bool {
	b, err := g.GetBool(name, def)
	if err != nil {
		return def
	}
	return b
}

// intOr parses a decimal integer, or returns def.
func intOr(v string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return def
	}
	return n
}
