package crypto

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// testKeyID is the long id of testdata/gitannex/testkey.asc, the
// passphrase-less key git-annex's fixtures were encrypted to.
const testKeyID = "6928610FF4D1979E"

// needGPG returns the path of gpg, skipping the test when it is missing
// outside CI (in CI a missing gpg fails the test).
func needGPG(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("gpg")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("gpg is required in CI: %v", err)
		}
		t.Skipf("gpg not installed: %v", err)
	}
	return p
}

// testGPG returns a GPG whose GNUPGHOME is a fresh directory holding the
// fixture test key; the agent it starts is stopped at cleanup.
func testGPG(t testing.TB) *GPG {
	t.Helper()
	needGPG(t)
	home, err := os.MkdirTemp("", "gpg") // short: agent socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(home, 0o700); err != nil {
		t.Fatal(err)
	}
	g := &GPG{Env: []string{"GNUPGHOME=" + home}}
	t.Cleanup(func() {
		cmd := exec.Command("gpgconf", "--kill", "gpg-agent")
		cmd.Env = append(os.Environ(), g.Env...)
		_ = cmd.Run()
		os.RemoveAll(home)
	})
	asc, err := os.ReadFile(filepath.Join("testdata", "gitannex", "testkey.asc"))
	if err != nil {
		t.Fatal(err)
	}
	if err := g.run(context.Background(), bytes.NewReader(asc), nil, "--batch", "--quiet", "--import"); err != nil {
		t.Fatalf("importing the test key: %v", err)
	}
	return g
}
