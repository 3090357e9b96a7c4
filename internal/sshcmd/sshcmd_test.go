package sshcmd

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseURL(t *testing.T) {
	cases := map[string]Location{
		"ssh://example.com/srv/repo":       {Host: "example.com", Path: "/srv/repo"},
		"ssh://joe@example.com:2222/srv/r": {User: "joe", Host: "example.com", Port: "2222", Path: "/srv/r"},
		"ssh://example.com/~/annex":        {Host: "example.com", Path: "~/annex"},
		"git+ssh://example.com/~joe/annex": {Host: "example.com", Path: "~joe/annex"},
		"annextest:/tmp/x/origin.git":      {Host: "annextest", Path: "/tmp/x/origin.git"},
		"joe@host:rel/path":                {User: "joe", Host: "host", Path: "rel/path"},
		"ssh://[::1]:22/r":                 {Host: "[::1]", Port: "22", Path: "/r"},
		"a@b@h:p":                          {User: "a@b", Host: "h", Path: "p"},
	}
	for in, want := range cases {
		got, ok := ParseURL(in)
		if !ok {
			t.Errorf("ParseURL(%q) not ok", in)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ParseURL(%q) (-want +got):\n%s", in, diff)
		}
	}
	for _, in := range []string{"/local/path", "./a:b", "http://host/x", "file:///x", "host:", ":path", "ssh://host"} {
		if got, ok := ParseURL(in); ok {
			t.Errorf("ParseURL(%q) = %+v, want not ok", in, got)
		}
	}
}

func TestShellCommand(t *testing.T) {
	got := ShellCommand("git-annex-shell", "configlist", "/tmp/it's")
	want := `git-annex-shell 'configlist' '/tmp/it'"'"'s'`
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func cfg(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestArgv(t *testing.T) {
	loc := Location{User: "joe", Host: "h", Port: "2222", Path: "/r"}
	gitcfg := cfg(map[string]string{"annex.ssh-options": "-F cfg", "remote.o.annex-ssh-options": "-4"})

	// Plain ssh: caching socket (on by default), the remote's ssh options,
	// -T, host, command.
	dir := t.TempDir()
	c := New(loc, Options{Getenv: env(nil), GitConfig: gitcfg, Remote: "o", CacheDir: dir})
	got := c.Argv("git-annex-shell 'configlist' '/r'", true)
	want := []string{"ssh", "-S", dir + "/joe@h!2222", "-o", "ControlMaster=auto", "-o", "ControlPersist=yes",
		"-4", "-n", "-p", "2222", "-T", "joe@h", "git-annex-shell 'configlist' '/r'"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("plain (-want +got):\n%s", diff)
	}
	// Another remote: annex.ssh-options, since it has no options of its own
	// (git-annex 10.20230126 uses the remote's instead of the global ones).
	c = New(loc, Options{Getenv: env(nil), GitConfig: gitcfg, Remote: "other"})
	want = []string{"ssh", "-F", "cfg", "-p", "2222", "-T", "joe@h", "cmd"}
	if diff := cmp.Diff(want, c.Argv("cmd", false)); diff != "" {
		t.Errorf("global options (-want +got):\n%s", diff)
	}

	// GIT_SSH_COMMAND without GIT_ANNEX_USE_GIT_SSH is ignored, as in git-annex.
	c = New(loc, Options{Getenv: env(map[string]string{"GIT_SSH_COMMAND": "ssh -F x"}), GitConfig: cfg(nil)})
	if got := c.Argv("cmd", false); got[0] != "ssh" {
		t.Errorf("GIT_SSH_COMMAND used without GIT_ANNEX_USE_GIT_SSH: %q", got)
	}

	// With it: sh -c, no annex ssh options and no caching.
	c = New(loc, Options{Getenv: env(map[string]string{"GIT_SSH_COMMAND": "ssh -F x", "GIT_ANNEX_USE_GIT_SSH": "1"}), GitConfig: gitcfg, Remote: "o", CacheDir: dir})
	want = []string{"sh", "-c", `ssh -F x "$@"`, "ssh -F x", "-p", "2222", "joe@h", "cmd"}
	if diff := cmp.Diff(want, c.Argv("cmd", false)); diff != "" {
		t.Errorf("GIT_SSH_COMMAND (-want +got):\n%s", diff)
	}
	c = New(loc, Options{Getenv: env(map[string]string{"GIT_SSH": "/bin/myssh", "GIT_ANNEX_USE_GIT_SSH": "1"})})
	want = []string{"/bin/myssh", "-n", "-p", "2222", "joe@h", "cmd"}
	if diff := cmp.Diff(want, c.Argv("cmd", true)); diff != "" {
		t.Errorf("GIT_SSH (-want +got):\n%s", diff)
	}
}
