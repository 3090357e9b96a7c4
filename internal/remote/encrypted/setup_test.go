package encrypted

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/troveproject/trove/internal/crypto"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
)

const testKeyID = "6928610FF4D1979E" // ../../crypto/testdata/gitannex/testkey.asc

// withTestKey points GNUPGHOME at a fresh home holding the fixture key,
// skipping when gpg is missing outside CI.
func withTestKey(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("gpg"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("gpg is required in CI: %v", err)
		}
		t.Skipf("gpg not installed: %v", err)
	}
	home, err := os.MkdirTemp("", "gpg")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(home, 0o700)
	t.Setenv("GNUPGHOME", home)
	t.Cleanup(func() {
		_ = exec.Command("gpgconf", "--kill", "gpg-agent").Run()
		os.RemoveAll(home)
	})
	out, err := exec.Command("gpg", "--batch", "--quiet", "--import", filepath.Join(fixtureDir, "testkey.asc")).CombinedOutput()
	if err != nil {
		t.Fatalf("importing the test key: %v: %s", err, out)
	}
}

func TestSetupErrors(t *testing.T) {
	ctx := context.Background()
	h := remotetest.NewHost(t)
	specify := "Specify encryption=hybrid or encryption=none or encryption=pubkey or encryption=shared or encryption=sharedpubkey."
	for _, tc := range []struct {
		cfg  remote.Config
		mode remote.SetupMode
		want string
	}{
		{remote.Config{"type": "directory"}, remote.Init, specify},
		{remote.Config{"encryption": "bogus"}, remote.Init, specify},
		{remote.Config{"encryption": "shared", "mac": "FOO"}, remote.Init, "bad mac value"},
		{remote.Config{"encryption": "hybrid"}, remote.Init, "encryption setup: Specify keyid=..."},
		{remote.Config{"encryption": "pubkey"}, remote.Init, "encryption setup: Specify keyid=..."},
		{remote.Config{"encryption": "hybrid", "cipher": "Y2k="}, remote.Enable, ErrCannotChange.Error()},
	} {
		_, err := Setup(ctx, tc.mode, tc.cfg, h)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Setup(%v): %v, want %q", tc.cfg, err, tc.want)
		}
	}
}

func TestSetupNoneAndShared(t *testing.T) {
	ctx := context.Background()
	h := remotetest.NewHost(t)
	// As git-annex: encryption=none keeps everything, keyid= included.
	in := remote.Config{"encryption": "none", "keyid": "X", "name": "n"}
	out, err := Setup(ctx, remote.Init, in, h)
	if err != nil || !cmp.Equal(out, in) {
		t.Errorf("none: %v, %v", out, err)
	}
	// Enabling a remote stored without encryption= changes nothing.
	if out, err := Setup(ctx, remote.Enable, remote.Config{"name": "n"}, h); err != nil || len(out) != 1 {
		t.Errorf("enable without encryption: %v, %v", out, err)
	}
	out, err = Setup(ctx, remote.Init, remote.Config{"encryption": "shared", "keyid": "ignored", "highRandomQuality": "false", "name": "s"}, h)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out["keyid"]; ok || out["encryption"] != "shared" || len(out["cipher"]) != 916 || out["highRandomQuality"] != "" {
		t.Errorf("shared config %v", out)
	}
	// Enabling again, with keyid+= (ignored for shared), keeps the cipher.
	out2, err := Setup(ctx, remote.Enable, remote.Config{"encryption": "shared", "cipher": out["cipher"], "keyid+": "x", "name": "s"}, h)
	if err != nil || out2["cipher"] != out["cipher"] || out2["keyid+"] != "" {
		t.Errorf("enable shared: %v, %v", out2, err)
	}
}

// TestSetupWithKeys sets up hybrid (implied by keyid=), pubkey and
// sharedpubkey remotes with the test key, and round-trips content through
// each over a directory remote.
func TestSetupWithKeys(t *testing.T) {
	withTestKey(t)
	ctx := context.Background()
	h := remotetest.NewHost(t)
	for _, tc := range []struct {
		in       remote.Config
		keyField string
	}{
		{remote.Config{"name": "h", "keyid": "test@trove.invalid"}, "cipherkeys"},
		{remote.Config{"name": "p", "encryption": "pubkey", "keyid": testKeyID}, "cipherkeys"},
		{remote.Config{"name": "sp", "encryption": "sharedpubkey", "keyid": testKeyID}, "pubkeys"},
	} {
		out, err := Setup(ctx, remote.Init, tc.in, h)
		if err != nil {
			t.Fatalf("%v: %v", tc.in, err)
		}
		if out[tc.keyField] != testKeyID || out["keyid"] != "" || out["encryption"] != tc.in["encryption"] {
			t.Errorf("%v: config %v", tc.in, out)
		}
		s, err := crypto.ParseSettings(out)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]crypto.Scheme{"h": crypto.Hybrid, "p": crypto.PubKey, "sp": crypto.SharedPubKey}[tc.in["name"]]
		if s.Scheme != want {
			t.Errorf("%v: scheme %s, want %s", tc.in, s.Scheme, want)
		}
		r := wrapDirectory(t, "", out)
		src := filepath.Join(t.TempDir(), "f")
		os.WriteFile(src, []byte("hello world!"), 0o644)
		if err := r.Store(ctx, fixtureKey, remote.Source{Path: src, Size: -1}, progress.Discard); err != nil {
			t.Fatal(err)
		}
		if ok, err := r.CheckPresent(ctx, fixtureKey); !ok || err != nil {
			t.Errorf("%v: present %v %v", tc.in, ok, err)
		}
	}
	// keyid-= of the only key is refused.
	out, err := Setup(ctx, remote.Init, remote.Config{"name": "h2", "encryption": "hybrid", "keyid": testKeyID}, h)
	if err != nil {
		t.Fatal(err)
	}
	out["keyid-"] = testKeyID
	if _, err := Setup(ctx, remote.Enable, out, h); err == nil || err.Error() != "Cannot remove the last key." {
		t.Errorf("removing the last key: %v", err)
	}
	delete(out, "keyid-")
	out["encryption"] = "shared"
	if _, err := Setup(ctx, remote.Enable, out, h); !errors.Is(err, ErrCannotChange) {
		t.Errorf("changing the scheme: %v", err)
	}
}

// TestReadsGitAnnexHybrid retrieves from git-annex's hybrid remote.
func TestReadsGitAnnexHybrid(t *testing.T) {
	withTestKey(t)
	dir := t.TempDir()
	placeAsGitAnnex(t, "dhybrid", dir)
	r := wrapDirectory(t, dir, fixtureConfig(t, "dhybrid"))
	ok, err := r.CheckPresent(context.Background(), fixtureKey)
	if err != nil || !ok {
		t.Fatalf("CheckPresent = %v, %v", ok, err)
	}
}
