package rsync

import (
	"path"
	"strings"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/sshcmd"
)

// URL is an rsyncurl= value.
type URL string

// IsDaemon reports whether u names an rsync daemon (rsync://...).
func (u URL) IsDaemon() bool { return strings.Contains(string(u), "://") }

// IsShell reports whether u is reached over a remote shell: host:path,
// with the colon before any slash (rsync's own rule).
func (u URL) IsShell() bool {
	if u.IsDaemon() {
		return false
	}
	s := string(u)
	c := strings.IndexByte(s, ':')
	return c > 0 && !strings.Contains(s[:c], "/")
}

// IsLocal reports whether u is a path on this machine.
func (u URL) IsLocal() bool { return !u.IsDaemon() && !u.IsShell() }

// Host returns the [user@]host part of a shell URL, or "".
func (u URL) Host() string {
	if !u.IsShell() {
		return ""
	}
	h, _, _ := strings.Cut(string(u), ":")
	return h
}

// locations are the rsync URLs k's content may have, current layout
// first. The key part is shell-quoted for remote-shell URLs unless
// shellEscape is false, as git-annex does.
func (u URL) locations(k key.Key, shellEscape bool) []string {
	f := k.File()
	rel := path.Join(f, f)
	if shellEscape && u.IsShell() {
		rel = sshcmd.ShellQuote(rel)
	}
	base := strings.TrimSuffix(string(u), "/")
	return []string{
		base + "/" + k.HashDirLower() + rel,
		base + "/" + k.HashDirMixed() + rel,
	}
}

// removeIncludes are the --include rules of a remove: each hash
// directory's parent, the hash directory, and everything in the key
// directory, for both layouts (the parents must be included for rsync to
// descend into them).
func removeIncludes(k key.Key) []string {
	var out []string
	for _, h := range []string{k.HashDirLower(), k.HashDirMixed()} {
		parent, _, _ := strings.Cut(h, "/")
		out = append(out, "--include="+parent, "--include="+h, "--include="+h+k.File()+"/***")
	}
	return out
}
