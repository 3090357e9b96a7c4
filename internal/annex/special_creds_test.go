package annex

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/testutil"
)

// gpgTestKeyID is the fixture key in ../crypto/testdata/gitannex/testkey.asc.
const gpgTestKeyID = "6928610FF4D1979E"

// countingGPG points GNUPGHOME at a fresh home holding the fixture key and
// returns a gpg.program that logs each call's arguments to the returned
// file before running gpg. Without gpg it skips outside CI.
func countingGPG(t *testing.T) (program, calls string) {
	t.Helper()
	gpg, err := exec.LookPath("gpg")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("gpg is required in CI: %v", err)
		}
		t.Skipf("gpg not installed: %v", err)
	}
	home, err := os.MkdirTemp("", "gpg")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(home, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GNUPGHOME", home)
	t.Cleanup(func() {
		_ = exec.Command("gpgconf", "--kill", "gpg-agent").Run()
		os.RemoveAll(home)
	})
	out, err := exec.Command(gpg, "--batch", "--quiet", "--import", filepath.Join("..", "crypto", "testdata", "gitannex", "testkey.asc")).CombinedOutput()
	if err != nil {
		t.Fatalf("import the test key: %v: %s", err, out)
	}
	dir := t.TempDir()
	calls = filepath.Join(dir, "calls")
	program = filepath.Join(dir, "gpg")
	script := "#!/bin/sh\necho \"$*\" >> '" + calls + "'\nexec '" + gpg + "' \"$@\"\n"
	if err := os.WriteFile(program, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return program, calls
}

// TestEmbeddedCredsShareTheRemotesCipher checks that a hybrid remote's
// cipher is decrypted by gpg once in a command that both uses the remote
// and embeds credentials in its config.
func TestEmbeddedCredsShareTheRemotesCipher(t *testing.T) {
	ctx := context.Background()
	program, calls := countingGPG(t)
	r, _ := newHostRepo(t, nil)
	testutil.RunGit(t, r.paths.Top, "config", "gpg.program", program)
	r = openRepo(t, r.paths.Top)
	opts := InitRemoteOptions{Name: "d", Params: []string{"type=directory", "directory=" + t.TempDir(), "encryption=hybrid", "keyid=" + gpgTestKeyID, "embedcreds=yes"}}
	if _, err := r.InitRemote(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r = openRepo(t, r.paths.Top)
	rm, err := r.Remote(ctx, "d")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rm.CheckPresent(ctx, mustKey(t, hostTestKey)); err != nil {
		t.Fatal(err)
	}
	entries, err := r.remoteLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := r.newSpecialHost("d", rm.UUID(), rm.UUID(), remote.Config(entries[rm.UUID()].Value))
	if err := h.SetCreds(ctx, "", "AKID", "SECRET"); err != nil {
		t.Fatal(err)
	}
	log, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(log), "--decrypt"); n != 1 {
		t.Errorf("gpg decrypted the cipher %d times, want once; calls:\n%s", n, log)
	}
	if login, pw, ok, err := h.Creds(ctx, ""); err != nil || !ok || login != "AKID" || pw != "SECRET" {
		t.Errorf("Creds = %q %q %v %v", login, pw, ok, err)
	}
}
