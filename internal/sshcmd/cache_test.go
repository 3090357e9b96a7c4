package sshcmd

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// socketArg returns the -S argument of argv, or "" when there is none.
func socketArg(argv []string) string {
	if i := slices.Index(argv, "-S"); i >= 0 && i+1 < len(argv) {
		return argv[i+1]
	}
	return ""
}

func TestSocketName(t *testing.T) {
	// Golden names from git-annex 10.20230126 (`git annex info REMOTE
	// --debug` shows the -S argument): the port without its leading zero,
	// and the md5 of a name longer than 32 bytes.
	cases := []struct{ target, port, want string }{
		{"joe@h", "", "joe@h"},
		{"joe@h", "2222", "joe@h!2222"},
		{"somebody@a-rather-long-host-name.example.org", "02222", "f4da648d7cad04e29b38bd346aba6795"},
		{"h", "ssh", "h!ssh"},
	}
	for _, c := range cases {
		if got := socketName(c.target, c.port); got != c.want {
			t.Errorf("socketName(%q, %q) = %q, want %q", c.target, c.port, got, c.want)
		}
	}
}

func TestSocketPath(t *testing.T) {
	long := "/" + strings.Repeat("d", 90) + "/.git/annex/ssh/joe@h"
	cases := []struct {
		abs, cwd, want string
		ok             bool
	}{
		{"/r/.git/annex/ssh/h", "/elsewhere/deep/down/here", "/r/.git/annex/ssh/h", true},
		{long, "/" + strings.Repeat("d", 90), ".git/annex/ssh/joe@h", true},
		{long, "/e", long, false},
		// A path of 82 bytes and ssh's 17-byte suffix reach the limit of
		// 100: one byte too many.
		{"/" + strings.Repeat("x", 81), "/e", "/" + strings.Repeat("x", 81), true},
		{"/" + strings.Repeat("x", 82), "/e", "/" + strings.Repeat("x", 82), false},
	}
	for _, c := range cases {
		got, ok := socketPath(c.abs, c.cwd)
		if got != c.want || ok != c.ok {
			t.Errorf("socketPath(%q, %q) = %q, %v; want %q, %v", c.abs, c.cwd, got, ok, c.want, c.ok)
		}
	}
}

func TestCachingDecision(t *testing.T) {
	loc := Location{Host: "h", Path: "/r"}
	dir := filepath.Join(t.TempDir(), "annex", "ssh")
	sock := filepath.Join(dir, "h")
	cases := []struct {
		name string
		env  map[string]string
		cfg  map[string]string
		dir  string
		want string
	}{
		{"default on", nil, nil, dir, sock},
		{"explicit true", nil, map[string]string{"annex.sshcaching": "true"}, dir, sock},
		{"explicit false", nil, map[string]string{"annex.sshcaching": "false"}, dir, ""},
		{"explicit no", nil, map[string]string{"annex.sshcaching": "no"}, dir, ""},
		{"not a boolean", nil, map[string]string{"annex.sshcaching": "maybe"}, dir, sock},
		{"no cache dir", nil, nil, "", ""},
		{"git ssh", map[string]string{"GIT_ANNEX_USE_GIT_SSH": "1", "GIT_SSH": "myssh"}, nil, dir, ""},
		{"git ssh not enabled", map[string]string{"GIT_SSH": "myssh"}, nil, dir, sock},
		{"crippled", nil, map[string]string{"annex.crippledfilesystem": "true"}, dir, ""},
		{"crippled with socket dir", map[string]string{SocketDirEnv: filepath.Join(filepath.Dir(dir), "alt")},
			map[string]string{"annex.crippledfilesystem": "true"}, dir, filepath.Join(filepath.Dir(dir), "alt", "ssh", "h")},
	}
	for _, c := range cases {
		cl := New(loc, Options{Getenv: env(c.env), GitConfig: cfg(c.cfg), CacheDir: c.dir})
		argv := cl.Argv("cmd", false)
		if got := socketArg(argv); got != c.want {
			t.Errorf("%s: socket %q, want %q (argv %q)", c.name, got, c.want, argv)
		}
		if c.want == "" {
			continue
		}
		want := []string{"ssh", "-S", c.want, "-o", "ControlMaster=auto", "-o", "ControlPersist=yes", "-T", "h", "cmd"}
		if diff := cmp.Diff(want, argv); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
		if fi, err := os.Stat(filepath.Dir(c.want)); err != nil || !fi.IsDir() {
			t.Errorf("%s: socket directory not created: %v", c.name, err)
		}
	}
}

func TestLongSocketPath(t *testing.T) {
	loc := Location{User: "joe", Host: "h", Path: "/r"}
	top := filepath.Join(t.TempDir(), strings.Repeat("d", 80))
	dir := filepath.Join(top, ".git", "annex", "ssh")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	// From the top of the repository, the relative path fits.
	t.Chdir(top)
	c := New(loc, Options{Getenv: env(nil), GitConfig: cfg(nil), CacheDir: dir})
	if got, want := socketArg(c.Argv("cmd", false)), ".git/annex/ssh/joe@h"; got != want {
		t.Errorf("socket from the top = %q, want %q", got, want)
	}
	// From / neither does: no caching, as in git-annex.
	t.Chdir("/")
	c = New(loc, Options{Getenv: env(nil), GitConfig: cfg(nil), CacheDir: dir})
	if argv := c.Argv("cmd", false); socketArg(argv) != "" {
		t.Errorf("socket path of %d bytes used: %q", len(dir)+6, argv)
	}
}

func TestSocketsWorkProbe(t *testing.T) {
	dir := t.TempDir()
	if !socketsWork(dir, filepath.Join(dir, "h")) {
		t.Errorf("sockets do not work in %s", dir)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("probe left %v behind", entries)
	}
	// procfs holds no sockets.
	if socketsWork("/proc", "/proc/trove-probe") {
		t.Errorf("sockets work in /proc")
	}
	c := New(Location{Host: "h", Path: "/r"}, Options{Getenv: env(nil), GitConfig: cfg(nil), CacheDir: "/proc"})
	if argv := c.Argv("cmd", false); socketArg(argv) != "" {
		t.Errorf("caching in /proc: %q", argv)
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"ssh://joe@example.com:2222/srv/r", "annextest:/tmp/x", "git+ssh://h/~joe/a", "ssh://[::1]:22/r", "a:b", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		loc, ok := ParseURL(s)
		if !ok {
			return
		}
		if loc.Host == "" || loc.Path == "" {
			t.Errorf("ParseURL(%q) = %+v: empty host or path", s, loc)
		}
		if strings.Contains(loc.Host, "@") {
			t.Errorf("ParseURL(%q) = %+v: user left in host", s, loc)
		}
	})
}
