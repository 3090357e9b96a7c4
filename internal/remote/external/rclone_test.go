package external

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/testutil"
	"github.com/troveproject/trove/internal/uuid"
)

// TestRcloneInterop runs the unmodified /usr/bin/git-annex-remote-rclone
// against a local rclone target, next to the real git-annex: what
// git-annex stores Trove retrieves, and what Trove stores git-annex gets.
func TestRcloneInterop(t *testing.T) {
	testutil.RequireGitAnnex(t)
	for _, p := range []string{"git-annex-remote-rclone", "rclone"} {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed (CI installs it): %v", p, err)
			}
			t.Skipf("%s is not installed", p)
		}
	}
	conf := filepath.Join(t.TempDir(), "rclone.conf")
	if err := os.WriteFile(conf, []byte("[mylocal]\ntype = local\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("RCLONE_CONFIG", conf)
	dest := t.TempDir()

	repo := testutil.NewAnnexRepo(t, "2f4b1c6e-7d2a-4e1b-9c1d-3a5b7c9d1e2f", "real")
	testutil.RunAnnex(t, repo, "initremote", "rcl", "type=external", "externaltype=rclone",
		"target=mylocal", "prefix="+dest, "encryption=none")
	rclUUID := uuid.UUID(strings.TrimSpace(testutil.RunGit(t, repo, "config", "remote.rcl.annex-uuid")))

	h := remotetest.NewHost(t)
	cfg := remote.Config{"name": "rcl", "type": "external", "externaltype": "rclone", "encryption": "none",
		"target": "mylocal", "prefix": dest, "rclone_layout": "lower"}
	rr, err := Type.New(context.Background(), remote.Params{Name: "rcl", UUID: rclUUID, Config: cfg, Cost: 200, Host: h})
	if err != nil {
		t.Fatal(err)
	}
	r := rr.(*Remote)
	defer r.Close(context.Background())
	ctx := context.Background()

	// git-annex stores, Trove retrieves.
	writeFile(t, filepath.Join(repo, "a.txt"), "stored by git-annex\n")
	testutil.RunAnnex(t, repo, "add", "a.txt")
	testutil.RunAnnex(t, repo, "copy", "a.txt", "--to", "rcl")
	ka := lookupKey(t, repo, "a.txt")
	if _, err := os.Stat(filepath.Join(dest, ka.HashDirLower(), ka.String())); err != nil {
		t.Fatalf("git-annex-remote-rclone's lower layout: %v", err)
	}
	dst := filepath.Join(t.TempDir(), "a")
	if err := r.Retrieve(ctx, ka, newFileSink(t, dst), nil); err != nil {
		t.Fatalf("Retrieve of git-annex's upload: %v", err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "stored by git-annex\n" {
		t.Errorf("retrieved %q", got)
	}

	// Trove stores, git-annex gets.
	writeFile(t, filepath.Join(repo, "b.txt"), "stored by trove\n")
	testutil.RunAnnex(t, repo, "add", "b.txt")
	kb := lookupKey(t, repo, "b.txt")
	if ok, err := r.CheckPresent(ctx, kb); err != nil || ok {
		t.Fatalf("CheckPresent of an absent key = %v, %v", ok, err)
	}
	objDir := filepath.Join(t.TempDir(), kb.File())
	if err := os.MkdirAll(objDir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(objDir, kb.File()), "stored by trove\n")
	if err := r.Store(ctx, kb, remote.Source{Path: filepath.Join(objDir, kb.File()), Size: -1}, nil); err != nil {
		t.Fatalf("Store: %v", err)
	}
	testutil.RunAnnex(t, repo, "drop", "--force", "b.txt")
	testutil.RunAnnex(t, repo, "setpresentkey", kb.String(), string(rclUUID), "1")
	testutil.RunAnnex(t, repo, "get", "b.txt", "--from", "rcl")
	if got, _ := os.ReadFile(filepath.Join(repo, "b.txt")); string(got) != "stored by trove\n" {
		t.Errorf("git-annex got %q from Trove's upload", got)
	}

	// rclone 1.60 prints "Total objects: 1 (1)", which this helper cannot
	// parse: a present key is CHECKPRESENT-UNKNOWN, an error, never "no".
	if ok, err := r.CheckPresent(ctx, kb); err == nil && !ok {
		t.Errorf("CheckPresent of a stored key = false, nil")
	}

	if err := r.Remove(ctx, kb); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dest, kb.HashDirLower(), kb.String())); !os.IsNotExist(err) {
		t.Errorf("object still there after Remove: %v", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func lookupKey(t *testing.T, repo, file string) key.Key {
	t.Helper()
	k, err := key.Parse(strings.TrimSpace(testutil.RunAnnex(t, repo, "lookupkey", file)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}
