package webdav

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/testutil"
)

func TestSetupErrors(t *testing.T) {
	clearEnv(t)
	ctx := context.Background()
	h := remotetest.NewHost(t)
	if _, err := Type.Setup(ctx, remote.Init, testUUID, remote.Config{"name": "dav"}, h); err == nil || err.Error() != "Specify url=" {
		t.Errorf("without url=: %v", err)
	}
	_, err := Type.Setup(ctx, remote.Init, testUUID, remote.Config{"name": "dav", URLField: "http://127.0.0.1:1/x"}, h)
	if err == nil || !strings.HasPrefix(err.Error(), "Need to configure webdav username and password.") || !strings.Contains(err.Error(), EnvUser) {
		t.Errorf("without credentials: %v", err)
	}
	_ = h.SetCreds(context.Background(), "", "u", "p")
	_, err = Type.Setup(ctx, remote.Init, testUUID, remote.Config{"name": "dav", URLField: "http://127.0.0.1:1/x"}, h)
	if err == nil || !strings.HasPrefix(err.Error(), "WebDAV test failed: ") || !strings.Contains(err.Error(), "http://127.0.0.1:1/x/") {
		t.Errorf("with the server down: %v", err)
	}
}

// Setup makes the url's collection, leaves no test file behind, stores
// the login given in the environment, and marks the remote in git config.
func TestSetupStoresLogin(t *testing.T) {
	srv := testutil.WebDAV(t)
	t.Setenv(EnvUser, srv.User)
	t.Setenv(EnvPassword, srv.Password)
	h := remotetest.NewHost(t)
	cfg := remote.Config{"name": "dav", "type": "webdav", "encryption": "none", URLField: srv.URL + "/deep/annex"}
	got, err := Type.Setup(context.Background(), remote.Init, testUUID, cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	want := remote.SetupResult{Config: cfg, GitConfig: map[string]string{"annex-webdav": "true"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"deep", "deep/annex"}, serverFiles(t, srv.Dir)); diff != "" {
		t.Errorf("server after setup (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([2]string{srv.User, srv.Password}, h.AllCreds()[""]); diff != "" {
		t.Errorf("stored login (-want +got):\n%s", diff)
	}
}

// With embedcreds=yes and no cipher, the login goes into remote.log as
// davcreds=base64("user\npassword\n"), git-annex's format.
func TestSetupEmbedsLogin(t *testing.T) {
	srv := testutil.WebDAV(t)
	clearEnv(t)
	h := remotetest.NewHost(t)
	_ = h.SetCreds(context.Background(), "", srv.User, srv.Password)
	cfg := remote.Config{"name": "dav", "encryption": "none", "embedcreds": "yes", URLField: srv.URL}
	got, err := Type.Setup(context.Background(), remote.Enable, testUUID, cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	want := base64.StdEncoding.EncodeToString([]byte(srv.User + "\n" + srv.Password + "\n"))
	if got.Config[CredsField] != want {
		t.Errorf("davcreds=%q, want %q", got.Config[CredsField], want)
	}
}

func TestSetupReconfigureDoesNotContactServer(t *testing.T) {
	cfg := remote.Config{"name": "dav", URLField: "http://127.0.0.1:1/x"}
	got, err := Type.Setup(context.Background(), remote.Reconfigure, testUUID, cfg, remotetest.NewHost(t))
	if err != nil || !cmp.Equal(got.Config, cfg) {
		t.Errorf("Reconfigure = %v, %v", got, err)
	}
}

func TestContentRange(t *testing.T) {
	for _, tc := range []struct {
		in           string
		start, total int64
		ok           bool
	}{
		{"bytes 100-199/200", 100, 200, true},
		{"bytes 0-0/*", 0, -1, true},
		{"bytes */200", 0, 0, false},
		{"bytes -5-10/20", 0, 0, false},
		{"items 1-2/3", 0, 0, false},
		{"", 0, 0, false},
	} {
		start, total, ok := contentRange(tc.in)
		if start != tc.start || total != tc.total || ok != tc.ok {
			t.Errorf("contentRange(%q) = %d, %d, %v; want %d, %d, %v", tc.in, start, total, ok, tc.start, tc.total, tc.ok)
		}
	}
}

func FuzzContentRange(f *testing.F) {
	for _, s := range []string{"bytes 100-199/200", "bytes 0-0/*", "bytes */200", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, total, ok := contentRange(s)
		if !ok {
			return
		}
		if start < 0 || total < -1 {
			t.Errorf("contentRange(%q) = %d, %d: negative", s, start, total)
		}
		if !strings.HasPrefix(s, "bytes ") {
			t.Errorf("contentRange(%q) accepted a non-bytes unit", s)
		}
	})
}

func FuzzParent(f *testing.F) {
	for _, s := range []string{"a/b/c/", "a", "", "/", "d91/b11/K/K"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, loc string) {
		p := parent(loc)
		if p != "" && (!strings.HasSuffix(p, "/") || !strings.HasPrefix(loc, p) || len(p) >= len(strings.TrimSuffix(loc, "/"))+1) {
			t.Errorf("parent(%q) = %q", loc, p)
		}
	})
}
