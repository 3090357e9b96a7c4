package sshcmd

import (
	"net/url"
	"strings"
)

// Location is a repository reached over ssh.
type Location struct {
	// User is the login name, or "" for ssh's default.
	User string
	// Host is the host name or ssh config alias; never empty.
	Host string
	// Port is the port number as written, or "" for ssh's default.
	Port string
	// Path is the repository path on the host as git-annex-shell gets it:
	// absolute, "~/..." or "~user/..." (relative to a home directory), or
	// relative (to the login's home).
	Path string
}

// ParseURL reads a git remote URL that is reached over ssh:
// ssh://, git+ssh:// and ssh+git:// URLs (where "/~/" and "/~user/" start a
// home-relative path) and scp-like "[user@]host:path" (the colon before any
// slash). ok is false for any other URL.
func ParseURL(s string) (loc Location, ok bool) {
	for _, scheme := range []string{"ssh://", "git+ssh://", "ssh+git://"} {
		if strings.HasPrefix(s, scheme) {
			u, err := url.Parse("ssh://" + strings.TrimPrefix(s, scheme))
			if err != nil || u.Hostname() == "" {
				return Location{}, false
			}
			loc = Location{Host: u.Hostname(), Port: u.Port(), Path: u.Path}
			if u.User != nil {
				loc.User = u.User.Username()
			}
			if strings.HasPrefix(loc.Path, "/~") {
				loc.Path = loc.Path[1:]
			}
			if strings.Contains(u.Host, "[") {
				loc.Host = "[" + loc.Host + "]"
			}
			return loc, loc.Path != ""
		}
	}
	if strings.Contains(s, "://") {
		return Location{}, false
	}
	c := strings.IndexByte(s, ':')
	if c <= 0 || strings.Contains(s[:c], "/") {
		return Location{}, false
	}
	host, path := s[:c], s[c+1:]
	// ssh splits user@host at the last "@".
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		loc.User, host = host[:at], host[at+1:]
	}
	if host == "" || path == "" {
		return Location{}, false
	}
	loc.Host, loc.Path = host, path
	return loc, true
}

// Target is the host argument of ssh: "user@host" or "host".
func (l Location) Target() string {
	if l.User != "" {
		return l.User + "@" + l.Host
	}
	return l.Host
}

// String is the location as an ssh:// URL.
func (l Location) String() string {
	h := l.Target()
	if l.Port != "" {
		h += ":" + l.Port
	}
	p := l.Path
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return "ssh://" + h + p
}

// ShellQuote quotes s for a POSIX shell as git-annex's shellEscape does:
// in single quotes, each ' written as '"'"'.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// ShellCommand is the remote command line that runs prog with args, each
// argument shell-quoted as git-annex does ("git-annex-shell 'configlist'
// '/srv/repo'"); prog itself is not quoted.
func ShellCommand(prog string, args ...string) string {
	var b strings.Builder
	b.WriteString(prog)
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(ShellQuote(a))
	}
	return b.String()
}
