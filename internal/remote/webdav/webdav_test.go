package webdav

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/chunked"
	"github.com/troveproject/trove/internal/remote/encrypted"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/testutil"
	"github.com/troveproject/trove/internal/uuid"
)

// helloKey is the key of "hello\n", whose layout git-annex 10.20230126
// produced on rclone serve webdav (see the package doc).
const helloKey = "SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt"

// openRemote opens a remote on srv below path, logging in as user with
// password, with host h, stacked with the decorators cfg asks for.
func openRemote(t *testing.T, url, user, password string, h *remotetest.Host, cfg remote.Config) remote.Remote {
	t.Helper()
	_ = h.SetCreds(context.Background(), "", user, password)
	cfg[URLField] = url
	p := remote.Params{Name: "dav", UUID: testUUID, Config: cfg, Host: h}
	base, err := Type.New(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	r, err := encrypted.Wrap(base, p)
	if err != nil {
		t.Fatal(err)
	}
	if r, err = chunked.Wrap(r, p); err != nil {
		t.Fatal(err)
	}
	return r
}

func serverRemote(t *testing.T, srv *testutil.WebDAVServer, cfg remote.Config) remote.Remote {
	return openRemote(t, srv.URL+"/annex", srv.User, srv.Password, remotetest.NewHost(t), cfg)
}

func TestConformance(t *testing.T) {
	clearEnv(t)
	srv := testutil.WebDAV(t)
	remotetest.Run(t, func(t *testing.T) remote.Remote { return serverRemote(t, srv, remote.Config{}) },
		remotetest.Options{Size: 100_000, Large: 3 << 20})
}

func TestConformanceChunked(t *testing.T) {
	clearEnv(t)
	srv := testutil.WebDAV(t)
	remotetest.Run(t, func(t *testing.T) remote.Remote {
		return serverRemote(t, srv, remote.Config{"chunk": "30000"})
	}, remotetest.Options{Size: 100_000, Fast: true})
}

func TestConformanceEncrypted(t *testing.T) {
	clearEnv(t)
	srv := testutil.WebDAV(t)
	cfg, err := encrypted.Setup(context.Background(), remote.Init,
		remote.Config{"name": "dav", "type": "webdav", "encryption": "shared"}, remotetest.NewHost(t))
	if err != nil {
		t.Fatal(err)
	}
	remotetest.Run(t, func(t *testing.T) remote.Remote {
		c := remote.Config{"chunk": "40000"}
		for k, v := range cfg {
			c[k] = v
		}
		return serverRemote(t, srv, c)
	}, remotetest.Options{Size: 100_000, Fast: true})
}

// serverFiles lists the files and directories below dir.
func serverFiles(t *testing.T, dir string) []string {
	t.Helper()
	var got []string
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if rel, _ := filepath.Rel(dir, p); rel != "." {
			got = append(got, rel)
		}
		return nil
	})
	return got
}

// The server holds what git-annex 10.20230126 stored there for the same
// content (captured with `git annex copy --to` on rclone serve webdav):
// the url's collection, the hash collections, the key collection and
// file, and no temporary upload.
func TestLayoutAsGitAnnex(t *testing.T) {
	clearEnv(t)
	srv := testutil.WebDAV(t)
	r := serverRemote(t, srv, remote.Config{})
	src := filepath.Join(t.TempDir(), "a.txt")
	os.WriteFile(src, []byte("hello\n"), 0o644)
	k, _ := key.Parse(helloKey)
	ctx := context.Background()
	for range 2 { // a second store replaces the first
		if err := r.Store(ctx, k, remote.Source{Path: src, Size: -1}, progress.Discard); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"annex", "annex/d91", "annex/d91/b11", "annex/d91/b11/" + helloKey, "annex/d91/b11/" + helloKey + "/" + helloKey}
	if diff := cmp.Diff(want, serverFiles(t, srv.Dir)); diff != "" {
		t.Errorf("server layout (-want +got):\n%s", diff)
	}
	if b, _ := os.ReadFile(filepath.Join(srv.Dir, want[4])); string(b) != "hello\n" {
		t.Errorf("stored %q", b)
	}
	if err := r.Remove(ctx, k); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want[:3], serverFiles(t, srv.Dir)); diff != "" {
		t.Errorf("after Remove (-want +got):\n%s", diff)
	}
}

// Keys whose file names need escaping in a URL ('%' from '/', '&', '?',
// '#', spaces) are stored under their keyFile names.
func TestOddKeyNamesOnServer(t *testing.T) {
	clearEnv(t)
	srv := testutil.WebDAV(t)
	r := serverRemote(t, srv, remote.Config{})
	src := filepath.Join(t.TempDir(), "x")
	os.WriteFile(src, []byte("x"), 0o644)
	k, err := key.Parse("WORM-s1-m1--a/b?c#d e&f%g:h")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := r.Store(ctx, k, remote.Source{Path: src, Size: -1}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(srv.Dir, "annex", k.HashDirLower(), k.File(), k.File())
	if _, err := os.Stat(p); err != nil {
		t.Errorf("stored file: %v", err)
	}
}

func TestWrongCredentials(t *testing.T) {
	clearEnv(t)
	srv := testutil.WebDAV(t)
	r := openRemote(t, srv.URL+"/annex", srv.User, "wrong", remotetest.NewHost(t), remote.Config{})
	k, _ := key.Parse(helloKey)
	_, err := r.CheckPresent(context.Background(), k)
	if err == nil || remote.Retryable(err) {
		t.Fatalf("CheckPresent with a wrong password: %v (retryable %v), want a permanent error", err, remote.Retryable(err))
	}
	for _, s := range []string{"401", EnvUser, EnvPassword, "git annex enableremote dav"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
}

// The environment's login comes before the stored one.
func TestEnvironmentCredentials(t *testing.T) {
	srv := testutil.WebDAV(t)
	t.Setenv(EnvUser, srv.User)
	t.Setenv(EnvPassword, srv.Password)
	r := openRemote(t, srv.URL+"/annex", "stored", "wrong", remotetest.NewHost(t), remote.Config{})
	k, _ := key.Parse(helloKey)
	if ok, err := r.CheckPresent(context.Background(), k); ok || err != nil {
		t.Errorf("CheckPresent = %v, %v", ok, err)
	}
}

func TestNoCredentials(t *testing.T) {
	clearEnv(t)
	h := remotetest.NewHost(t)
	r, err := Type.New(context.Background(), remote.Params{Name: "dav", UUID: testUUID, Config: remote.Config{URLField: "http://127.0.0.1:1/x"}, Host: h})
	if err != nil {
		t.Fatal(err)
	}
	k, _ := key.Parse(helloKey)
	_, err = r.CheckPresent(context.Background(), k)
	if err == nil || remote.Retryable(err) || !strings.Contains(err.Error(), "set WEBDAV_USERNAME and WEBDAV_PASSWORD and run `git annex enableremote dav`") {
		t.Errorf("without credentials: %v", err)
	}
}

func TestServerDown(t *testing.T) {
	clearEnv(t)
	srv := testutil.WebDAV(t)
	r := serverRemote(t, srv, remote.Config{})
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	k, _ := key.Parse(helloKey)
	ctx := context.Background()
	_, err := r.CheckPresent(ctx, k)
	if !errors.Is(err, remote.ErrUnavailable) || !remote.Retryable(err) || !strings.Contains(err.Error(), srv.URL+"/annex/d91/b11/") {
		t.Errorf("CheckPresent with the server down: %v", err)
	}
	if err := r.Store(ctx, k, remote.Source{Path: "/dev/null", Size: -1}, progress.Discard); !errors.Is(err, remote.ErrUnavailable) {
		t.Errorf("Store with the server down: %v", err)
	}
	if err := r.Remove(ctx, k); !errors.Is(err, remote.ErrUnavailable) {
		t.Errorf("Remove with the server down: %v", err)
	}
}

func TestNewWithoutURL(t *testing.T) {
	_, err := Type.New(context.Background(), remote.Params{Name: "dav", UUID: testUUID, Config: remote.Config{}, Host: remotetest.NewHost(t)})
	if err == nil || !strings.Contains(err.Error(), "git annex enableremote dav url=URL") {
		t.Errorf("New without url=: %v", err)
	}
	_, err = Type.New(context.Background(), remote.Params{Name: "dav", UUID: testUUID, Config: remote.Config{URLField: "ftp://x/"}, Host: remotetest.NewHost(t)})
	if err == nil || !strings.Contains(err.Error(), "not an http or https URL") {
		t.Errorf("New with an ftp url: %v", err)
	}
}

func TestInfo(t *testing.T) {
	r, err := New(remote.Params{Name: "dav", UUID: testUUID}, "https://user@dav.example.org/annex", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]remote.InfoField{{Name: "url", Value: "https://dav.example.org/annex/"}}, r.Info()); diff != "" {
		t.Error(diff)
	}
	if r.Type() != "webdav" || r.Cost() != remote.ExpensiveCost {
		t.Errorf("type %q cost %v", r.Type(), r.Cost())
	}
}

const testUUID = uuid.UUID("0b9d4a52-7d3c-4f4e-9a0e-5d1f3c2b7a61")

// clearEnv hides any WEBDAV_USERNAME/WEBDAV_PASSWORD of the developer's
// shell from the test (restored when it ends).
func clearEnv(t *testing.T) {
	for _, v := range []string{EnvUser, EnvPassword} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
}
