package rsync

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/sshcmd"
	"github.com/troveproject/trove/internal/uuid"
)

const testUUID = uuid.UUID("b33dfa3d-da4f-46e0-b032-53314c0aa249")

// needRsync returns the rsync program, skipping the test when it is
// missing unless CI is set.
func needRsync(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("rsync"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("rsync is required under CI: %v", err)
		}
		t.Skip("rsync is not installed")
	}
}

func open(t *testing.T, url string, git map[string]string) *Remote {
	t.Helper()
	h := remotetest.NewHost(t)
	for k, v := range git {
		h.SetGitConfig(k, v)
	}
	h.SetGitConfig("remote.rs.annex-rsyncurl", url)
	r, err := Type.New(context.Background(), remote.Params{Name: "rs", UUID: testUUID, Config: remote.Config{"type": "rsync", "rsyncurl": url}, Host: h})
	if err != nil {
		t.Fatal(err)
	}
	return r.(*Remote)
}

func TestConformanceLocal(t *testing.T) {
	needRsync(t)
	remotetest.Run(t, func(t *testing.T) remote.Remote { return open(t, t.TempDir(), nil) },
		remotetest.Options{Size: 100_000, Large: 8 << 20})
}

// startDaemon runs an rsync daemon on 127.0.0.1 with one writable module
// "annex" and returns its URL; it is killed when t ends.
func startDaemon(t *testing.T) string {
	t.Helper()
	needRsync(t)
	state := t.TempDir()
	data := filepath.Join(state, "data")
	os.Mkdir(data, 0o755)
	conf := filepath.Join(state, "rsyncd.conf")
	os.WriteFile(conf, []byte(fmt.Sprintf("use chroot = no\n[annex]\n  path = %s\n  read only = no\n  uid = %d\n  gid = %d\n", data, os.Getuid(), os.Getgid())), 0o644)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command("rsync", "--daemon", "--no-detach", "--address=127.0.0.1", fmt.Sprintf("--port=%d", port),
		"--config="+conf, "--log-file="+filepath.Join(state, "rsyncd.log"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		if i == 200 {
			t.Fatalf("rsync daemon did not listen on %s", addr)
		}
		time.Sleep(25 * time.Millisecond) // polling a port, not synchronising test steps
	}
	return "rsync://" + addr + "/annex"
}

func TestConformanceDaemon(t *testing.T) {
	base := startDaemon(t)
	n := 0
	remotetest.Run(t, func(t *testing.T) remote.Remote {
		n++
		return open(t, fmt.Sprintf("%s/sub%d", base, n), nil)
	}, remotetest.Options{Size: 50_000, Large: 2 << 20})
}

// The layout git-annex 10.20230126 produced with rsyncurl=/path for
// "hello\n": the directory remote's layout with a plain key directory.
func TestLayoutAsGitAnnex(t *testing.T) {
	needRsync(t)
	dir := t.TempDir()
	r := open(t, dir, nil)
	src := filepath.Join(t.TempDir(), "obj")
	os.WriteFile(src, []byte("hello\n"), 0o444)
	k, _ := key.Parse("SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt")
	ctx := context.Background()
	if err := r.Store(ctx, k, remote.Source{Path: src, Size: -1}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	kf := k.File()
	var got []string
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		if rel != "." {
			fi, _ := e.Info()
			got = append(got, fi.Mode().String()+" "+rel)
		}
		return nil
	})
	want := []string{
		"drwxr-xr-x d91",
		"drwxr-xr-x d91/b11",
		"drwxr-xr-x d91/b11/" + kf,
		"-r--r--r-- d91/b11/" + kf + "/" + kf,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}
	// Removing the only key also removes its now empty hash directories,
	// as git-annex's include rules do.
	if err := r.Remove(ctx, k); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("after remove: %v left", ents)
	}
}

func TestUnreachableDaemonIsUnknown(t *testing.T) {
	needRsync(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	r := open(t, "rsync://"+addr+"/annex", nil)
	k, _ := key.Parse("SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt")
	if ok, err := r.CheckPresent(context.Background(), k); ok || !errors.Is(err, remote.ErrUnavailable) {
		t.Errorf("CheckPresent on a closed port = %v, %v; want ErrUnavailable", ok, err)
	}
}

func TestURLKinds(t *testing.T) {
	for _, tc := range []struct {
		url                    URL
		daemon, shell, isLocal bool
		host                   string
	}{
		{"/srv/annex", false, false, true, ""},
		{"relative/dir", false, false, true, ""},
		{"./a:b", false, false, true, ""},
		{"example.com:/srv/annex", false, true, false, "example.com"},
		{"joey@example.com:annex", false, true, false, "joey@example.com"},
		{"rsync://127.0.0.1:873/annex/sub", true, false, false, ""},
	} {
		if tc.url.IsDaemon() != tc.daemon || tc.url.IsShell() != tc.shell || tc.url.IsLocal() != tc.isLocal || tc.url.Host() != tc.host {
			t.Errorf("%s: daemon %v shell %v local %v host %q", tc.url, tc.url.IsDaemon(), tc.url.IsShell(), tc.url.IsLocal(), tc.url.Host())
		}
	}
}

// The URLs and include rules match the rsync command lines git-annex
// 10.20230126 ran (captured with a logging rsync wrapper).
func TestCommandLinesAsGitAnnex(t *testing.T) {
	k, _ := key.Parse("SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt")
	kf := k.File()
	wantLocs := []string{
		"/tmp/rx/rs/d91/b11/" + kf + "/" + kf,
		"/tmp/rx/rs/mK/4w/" + kf + "/" + kf,
	}
	if diff := cmp.Diff(wantLocs, URL("/tmp/rx/rs").locations(k, true)); diff != "" {
		t.Errorf("locations (-want +got):\n%s", diff)
	}
	wantInc := []string{
		"--include=d91", "--include=d91/b11/", "--include=d91/b11/" + kf + "/***",
		"--include=mK", "--include=mK/4w/", "--include=mK/4w/" + kf + "/***",
	}
	if diff := cmp.Diff(wantInc, removeIncludes(k)); diff != "" {
		t.Errorf("remove includes (-want +got):\n%s", diff)
	}
	shell := URL("host:dir").locations(k, true)[0]
	if want := "host:dir/d91/b11/'" + kf + "/" + kf + "'"; shell != want {
		t.Errorf("shell location %q, want %q", shell, want)
	}
	if got := URL("host:dir").locations(k, false)[0]; got != "host:dir/d91/b11/"+kf+"/"+kf {
		t.Errorf("shellescape=no location %q", got)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain":     "'plain'",
		"it's":      `'it'"'"'s'`,
		"a b":       "'a b'",
		"":          "''",
		"''":        `''"'"''"'"''`,
		"$HOME/`x`": "'$HOME/`x`'",
	} {
		if got := sshcmd.ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSetupAndOptions(t *testing.T) {
	ctx := context.Background()
	if _, err := Type.Setup(ctx, remote.Init, testUUID, remote.Config{"encryption": "none"}, remotetest.NewHost(t)); err == nil || err.Error() != "Specify rsyncurl=" {
		t.Errorf("missing rsyncurl: %v", err)
	}
	got, err := Type.Setup(ctx, remote.Init, testUUID, remote.Config{"rsyncurl": "/srv/a", "encryption": "none"}, remotetest.NewHost(t))
	if err != nil {
		t.Fatal(err)
	}
	want := remote.SetupResult{Config: remote.Config{"rsyncurl": "/srv/a", "encryption": "none"}, GitConfig: map[string]string{"annex-rsyncurl": "/srv/a"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Setup (-want +got):\n%s", diff)
	}
	r := open(t, "host:/srv", map[string]string{
		"remote.rs.annex-rsync-options":   "--bwlimit=10 --delete",
		"remote.rs.annex-rsync-transport": "ssh -F /tmp/my cfg",
	})
	if diff := cmp.Diff([]string{"-e", "ssh -F /tmp/my cfg", "--bwlimit=10", "-v"}, r.common([]string{"-v"})); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	if r.Availability() != remote.GloballyAvailable || r.Cost() != remote.ExpensiveCost {
		t.Errorf("availability %v cost %v", r.Availability(), r.Cost())
	}
	if diff := cmp.Diff([]remote.InfoField{{Name: "url", Value: "host:/srv"}}, r.Info()); diff != "" {
		t.Error(diff)
	}
}

func TestProgressParser(t *testing.T) {
	var got []int64
	p := &progressParser{report: func(n int64) { got = append(got, n) }}
	p.Write([]byte("sending incremental file list\nd91/b11/x/x\n      32,768   3%    0.00kB/s    0:00:00\r   1,048,576 100%  120.00MB/s    0:00:00 (xfr#1, to-chk=0/5)\n"))
	if diff := cmp.Diff([]int64{32768, 1048576}, got); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
}

func FuzzProgressLine(f *testing.F) {
	f.Add([]byte("      1,048,576 100%  120.00MB/s    0:00:00"))
	f.Add([]byte("sending incremental file list"))
	f.Add([]byte("-1 5%"))
	f.Fuzz(func(t *testing.T, line []byte) {
		n, ok := parseProgressLine(line)
		if ok && n < 0 {
			t.Errorf("negative count %d from %q", n, line)
		}
		var sum int64
		p := &progressParser{report: func(n int64) { sum += n }}
		if w, err := p.Write(line); w != len(line) || err != nil {
			t.Errorf("Write = %d, %v", w, err)
		}
	})
}
