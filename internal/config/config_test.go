package config

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/troveproject/trove/internal/gitcmd"
)

func snapshot(kv ...string) *gitcmd.Config {
	var es []gitcmd.ConfigEntry
	for i := 0; i < len(kv); i += 2 {
		es = append(es, gitcmd.ConfigEntry{Name: kv[i], Value: kv[i+1]})
	}
	return gitcmd.NewConfig(es)
}

func TestDefaults(t *testing.T) {
	got := New(snapshot())
	want := &Config{
		AddSmallFiles: true, GitAddToAnnex: true, Backend: "SHA256E", Jobs: 1,
		MaxExtensionLength: 4, AlwaysCommit: true, CommitMessage: "update", MergeAnnexBranches: true,
		RetryDelaySeconds: 1, ForwardRetry: 5, DiskReserve: DefaultDiskReserve,
	}
	if d := cmp.Diff(want, got, cmpopts.IgnoreUnexported(Config{})); d != "" {
		t.Errorf("defaults (-want +got):\n%s", d)
	}
}

func TestValues(t *testing.T) {
	got := New(snapshot(
		"annex.uuid", "u-1", "annex.version", "8", "annex.largefiles", "largerthan=100kb",
		"annex.dotfiles", "yes", "annex.addunlocked", "include=*.txt", "annex.addsmallfiles", "false",
		"annex.gitaddtoannex", "off", "annex.thin", "1", "annex.backends", "WORM SHA1",
		"annex.jobs", "cpus", "annex.maxextensionlength", "7", "annex.numcopies", "3",
		"annex.alwayscommit", "false", "annex.commitmessage", "custom", "annex.merge-annex-branches", "no",
		"annex.tune.objecthashlower", "true", "annex.tune.objecthash1", "true", "annex.tune.branchhash1", "true",
		"annex.securehashesonly", "true", "annex.retry", "2", "core.sharedRepository", "group", "core.bare", "true",
		"annex.retry-delay", "3", "annex.forward-retry", "0", "annex.stalldetection", "10KiB/30s",
		"annex.diskreserve", "1 GB",
		"annex.dotfiles", "notabool", // invalid: git-annex falls back to the default
	))
	want := &Config{
		UUID: "u-1", Version: 8, HasVersion: true, LargeFiles: "largerthan=100kb", HasLargeFiles: true,
		AddUnlocked: "include=*.txt", Thin: true, Backend: "WORM", Jobs: runtime.NumCPU(),
		MaxExtensionLength: 7, NumCopies: 3, HasNumCopies: true, CommitMessage: "custom",
		ObjectHashLower: true, ObjectHash1: true, BranchHash1: true, SecureHashesOnly: true, Retry: 2,
		SharedRepository: "group", Bare: true, RetryDelaySeconds: 3, StallDetection: "10KiB/30s",
		DiskReserve: 1_000_000_000,
	}
	if d := cmp.Diff(want, got, cmpopts.IgnoreUnexported(Config{})); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if b := New(snapshot("annex.backends", "WORM", "annex.backend", "SHA1")).Backend; b != "SHA1" {
		t.Errorf("annex.backend should beat annex.backends, got %s", b)
	}
	if r := New(snapshot("annex.diskreserve", "plenty")).DiskReserve; r != DefaultDiskReserve {
		t.Errorf("annex.diskreserve that does not parse gives %d, want the default", r)
	}
	if j := New(snapshot("annex.jobs", "0")).Jobs; j != 1 {
		t.Errorf("annex.jobs=0 gives %d jobs", j)
	}
}

func TestRemotes(t *testing.T) {
	c := New(snapshot(
		"remote.origin.url", "/srv/repo", "remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*",
		"remote.origin.annex-uuid", "u-o", "remote.origin.annex-cost", "150.0",
		"remote.dr.annex-directory", "/mnt/x", "remote.dr.annex-uuid", "u-d", "remote.dr.annex-ignore", "true",
		"remote.dr.annex-readonly", "true", "remote.dr.annex-trustlevel", "untrusted",
		"remote.dr.annex-sync", "false", "remote.dr.annex-push", "false", "remote.dr.annex-pull", "false",
		"remote.notaremote.fetch", "x",
	))
	want := []Remote{
		{Name: "origin", URL: "/srv/repo", UUID: "u-o", Cost: 150, HasCost: true, Sync: true, Push: true, Pull: true},
		{Name: "dr", UUID: "u-d", Ignore: true, ReadOnly: true, TrustLevel: "untrusted"},
	}
	if d := cmp.Diff(want, c.Remotes); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if v, ok := c.RemoteSetting("dr", "directory"); !ok || v != "/mnt/x" {
		t.Errorf("RemoteSetting = %q %v", v, ok)
	}
	if r, ok := c.Remote("origin"); !ok || r.UUID != "u-o" {
		t.Errorf("Remote(origin) = %+v %v", r, ok)
	}
}

// TestFromGitAnnex reads a repository set up by the real git-annex.
func TestFromGitAnnex(t *testing.T) {
	if _, err := exec.LookPath("git-annex"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("git-annex is required when CI is set")
		}
		t.Skip("git-annex not installed")
	}
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(t.TempDir(), "gitconfig"))
	t.Setenv("GIT_AUTHOR_NAME", "T")
	t.Setenv("GIT_AUTHOR_EMAIL", "t@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "T")
	t.Setenv("GIT_COMMITTER_EMAIL", "t@example.com")
	dir, store := t.TempDir(), t.TempDir()
	for _, args := range [][]string{
		{"init", "-q"},
		{"annex", "init", "-q", "test"},
		{"annex", "initremote", "-q", "dr", "type=directory", "directory=" + store, "encryption=none"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	ctx := context.Background()
	repo, err := gitcmd.Discover(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	g, err := repo.WithConfig("annex.jobs=3").ReadConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := New(g)
	if c.UUID == "" || c.Version != 10 || c.Jobs != 3 || c.Bare {
		t.Errorf("config = %+v", c)
	}
	r, ok := c.Remote("dr")
	if !ok || r.UUID == "" || r.URL != "" {
		t.Errorf("remote dr = %+v, %v", r, ok)
	}
	if v, _ := c.RemoteSetting("dr", "directory"); v != store {
		t.Errorf("annex-directory = %q", v)
	}
}
