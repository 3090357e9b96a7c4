package encrypted

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/troveproject/trove/internal/crypto"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/directory"
	"github.com/troveproject/trove/internal/remote/remotetest"
)

const testUUID = "5b8f6a2e-0000-4000-8000-000000000001"

// wrapDirectory returns cfg's encrypted remote over a directory remote in
// dir (a fresh one when dir is "").
func wrapDirectory(t *testing.T, dir string, cfg remote.Config) *Remote {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	h := remotetest.NewHost(t)
	p := remote.Params{Name: "enc", UUID: testUUID, Config: cfg, Host: h}
	r, err := Wrap(directory.New(p, dir), p)
	if err != nil {
		t.Fatal(err)
	}
	er, ok := r.(*Remote)
	if !ok {
		t.Fatalf("Wrap returned %T, want the encrypted remote", r)
	}
	return er
}

func sharedConfig(t *testing.T) remote.Config {
	t.Helper()
	cfg, err := Setup(context.Background(), remote.Init, remote.Config{"name": "enc", "type": "directory", "encryption": "shared"}, remotetest.NewHost(t))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestConformanceShared(t *testing.T) {
	cfg := sharedConfig(t)
	remotetest.Run(t, func(t *testing.T) remote.Remote { return wrapDirectory(t, "", cfg) },
		remotetest.Options{Size: 64 << 10})
}

func TestConformanceSharedMAC512(t *testing.T) {
	cfg, err := Setup(context.Background(), remote.Init,
		remote.Config{"name": "enc", "type": "directory", "encryption": "shared", "mac": "HMACSHA512"}, remotetest.NewHost(t))
	if err != nil {
		t.Fatal(err)
	}
	remotetest.Run(t, func(t *testing.T) remote.Remote { return wrapDirectory(t, "", cfg) },
		remotetest.Options{Size: 16 << 10, Fast: true})
}

func TestWrapNoEncryption(t *testing.T) {
	base := directory.New(remote.Params{Name: "d", UUID: testUUID}, t.TempDir())
	for _, cfg := range []remote.Config{{}, {"encryption": "none"}} {
		r, err := Wrap(base, remote.Params{Name: "d", Config: cfg})
		if err != nil || r != remote.Remote(base) {
			t.Errorf("Wrap(%v) = %T, %v; want the base remote itself", cfg, r, err)
		}
	}
	_, err := Wrap(base, remote.Params{Name: "d", Config: remote.Config{"encryption": "shared"}, Host: remotetest.NewHost(t)})
	if !errors.Is(err, crypto.ErrNoCipher) {
		t.Errorf("Wrap without a cipher: %v", err)
	}
}

// placeAsGitAnnex copies the fixture objects of git-annex remote name into
// dir in the directory remote's layout.
func placeAsGitAnnex(t *testing.T, name, dir string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		k, err := key.Parse(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(fixtureDir, name, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		d := filepath.Join(dir, k.HashDirLower(), k.File())
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, k.File()), data, 0o444); err != nil {
			t.Fatal(err)
		}
	}
}

var fixtureKey = key.Key{Variety: "SHA256E", Size: 12, HasSize: true,
	Name: "7509e5bda0c762d2bac7f90d758b5b2263fa01ccbc542ab5e3df163be08e6ca9.txt"}

// TestReadsGitAnnexRemote retrieves what git-annex stored in an
// encryption=shared mac=HMACSHA256 directory remote.
func TestReadsGitAnnexRemote(t *testing.T) {
	dir := t.TempDir()
	placeAsGitAnnex(t, "dshared", dir)
	r := wrapDirectory(t, dir, fixtureConfig(t, "dshared"))
	ctx := context.Background()
	ok, err := r.CheckPresent(ctx, fixtureKey)
	if err != nil || !ok {
		t.Fatalf("CheckPresent = %v, %v", ok, err)
	}
	sinkPath := filepath.Join(t.TempDir(), "out")
	sink, err := remotetest.NewFileSink(sinkPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Retrieve(ctx, fixtureKey, sink, progress.Discard); err != nil {
		t.Fatal(err)
	}
	sink.Close()
	if got, _ := os.ReadFile(sinkPath); string(got) != "hello world!" {
		t.Errorf("retrieved %q", got)
	}
}

// TestStoresUnderGitAnnexNames stores with a git-annex remote's cipher and
// finds the object where git-annex put its own.
func TestStoresUnderGitAnnexNames(t *testing.T) {
	dir := t.TempDir()
	r := wrapDirectory(t, dir, fixtureConfig(t, "dshared"))
	src := filepath.Join(t.TempDir(), "a.txt")
	if err := os.WriteFile(src, []byte("hello world!"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := r.Store(context.Background(), fixtureKey, remote.Source{Path: src, Size: -1}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	name := "GPGHMACSHA256--fd4aee5a282c3a45d6349bf2b4374e64f42572b938df4829f05accc48dbd29bb" // HMAC also checked with Python
	k, _ := key.Parse(name)
	if _, err := os.Stat(filepath.Join(fixtureDir, "dshared", name)); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, k.HashDirLower(), name, name)); err != nil {
		t.Errorf("Trove did not store where git-annex does: %v", err)
	}
}

// TestDamagedObject: a corrupt object fails to decrypt and leaves the
// sink empty (no unverified plaintext), and the ciphertext temp is gone.
func TestDamagedObject(t *testing.T) {
	dir := t.TempDir()
	placeAsGitAnnex(t, "dshared", dir)
	r := wrapDirectory(t, dir, fixtureConfig(t, "dshared"))
	ctx := context.Background()
	ek, err := r.EncryptedKey(ctx, fixtureKey)
	if err != nil {
		t.Fatal(err)
	}
	obj := filepath.Join(dir, ek.HashDirLower(), ek.File(), ek.File())
	data, _ := os.ReadFile(obj)
	data[len(data)-5] ^= 0xff
	os.Chmod(obj, 0o644)
	if err := os.WriteFile(obj, data, 0o444); err != nil {
		t.Fatal(err)
	}
	sinkPath := filepath.Join(t.TempDir(), "out")
	sink, err := remotetest.NewFileSink(sinkPath)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	err = r.Retrieve(ctx, fixtureKey, sink, progress.Discard)
	if !errors.Is(err, crypto.ErrDecrypt) {
		t.Fatalf("Retrieve of a damaged object: %v, want ErrDecrypt", err)
	}
	if sink.Offset() != 0 {
		t.Errorf("sink holds %d bytes of unverified plaintext", sink.Offset())
	}
	left, _ := os.ReadDir(r.host.TmpDir())
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
