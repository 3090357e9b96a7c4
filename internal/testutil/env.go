package testutil

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Fixed identity and clock values that make git commits and git-annex branch
// commits byte-for-byte reproducible (see git-annex-internals.md §13.2).
const (
	AuthorName  = "Trove Test"
	AuthorEmail = "test@trove.invalid"
	// Date is the author and committer date of every commit made through Env.
	Date = "2023-11-14T22:13:20Z"
	// VectorClock is the GIT_ANNEX_VECTOR_CLOCK value: git-annex (and Trove)
	// use it instead of the current time for every branch log timestamp.
	VectorClock = "1700000000"
)

// gitconfig is written to the private HOME of each test.
const gitconfig = `[user]
	name = ` + AuthorName + `
	email = ` + AuthorEmail + `
[init]
	defaultBranch = master
[advice]
	detachedHead = false
[protocol "file"]
	allow = always
`

// homes maps a testing.TB to the HOME directory Env made for it.
var homes sync.Map

// Env returns the environment for running git, git-annex or Trove in tests:
// the process environment without any inherited GIT_*, HOME, XDG_CONFIG_HOME,
// EMAIL or locale variables, plus a private HOME (with user.name, user.email
// and init.defaultBranch=master in its .gitconfig), fixed author and
// committer names and dates, GIT_ANNEX_VECTOR_CLOCK, LC_ALL=C and TZ=UTC.
//
// The HOME is created on the first call for t and reused by later calls for
// the same t; it is removed when t ends. The returned slice is a fresh copy
// the caller may extend.
func Env(t testing.TB) []string {
	t.Helper()
	home := homeFor(t)
	env := make([]string, 0, 32)
	for _, kv := range os.Environ() {
		if !inherited(kv) {
			env = append(env, kv)
		}
	}
	return append(env,
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME="+AuthorName,
		"GIT_AUTHOR_EMAIL="+AuthorEmail,
		"GIT_AUTHOR_DATE="+Date,
		"GIT_COMMITTER_NAME="+AuthorName,
		"GIT_COMMITTER_EMAIL="+AuthorEmail,
		"GIT_COMMITTER_DATE="+Date,
		"GIT_ANNEX_VECTOR_CLOCK="+VectorClock,
		"GIT_TERMINAL_PROMPT=0",
		"GIT_PAGER=cat",
		"PAGER=cat",
		"LC_ALL=C",
		"TZ=UTC",
	)
}

// inherited reports whether an environment entry must not leak from the
// developer's shell into a test: anything that changes where git looks or
// what it writes.
func inherited(kv string) bool {
	name, _, _ := strings.Cut(kv, "=")
	switch name {
	case "HOME", "XDG_CONFIG_HOME", "EMAIL", "LANG", "LANGUAGE", "TZ", "PAGER":
		return true
	}
	return strings.HasPrefix(name, "GIT_") || strings.HasPrefix(name, "LC_")
}

// homeFor returns t's private HOME, creating it on first use.
func homeFor(t testing.TB) string {
	t.Helper()
	if h, ok := homes.Load(t); ok {
		return h.(string)
	}
	home := TempDir(t)
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte(gitconfig), 0o644); err != nil {
		t.Fatalf("testutil: write %s: %v", filepath.Join(home, ".gitconfig"), err)
	}
	if h, loaded := homes.LoadOrStore(t, home); loaded {
		return h.(string)
	}
	t.Cleanup(func() { homes.Delete(t) })
	return home
}
