package annex

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
)

// initDirRemote makes a directory special remote "d" in a new repository
// with the extra initremote params, and returns the repository and the
// remote as a fresh Repo opens it.
func initDirRemote(t *testing.T, params ...string) (*Repo, remote.Remote, string, []string) {
	t.Helper()
	ctx := context.Background()
	r, _ := newHostRepo(t, nil)
	store := t.TempDir()
	var notes []string
	opts := InitRemoteOptions{Name: "d", Params: append([]string{"type=directory", "directory=" + store}, params...), Note: func(n string) { notes = append(notes, n) }}
	if _, err := r.InitRemote(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r2 := openRepo(t, r.paths.Top)
	rm, err := r2.Remote(ctx, "d")
	if err != nil {
		t.Fatal(err)
	}
	return r2, rm, store, notes
}

func TestChunkedEncryptedDirectoryConformance(t *testing.T) {
	remotetest.Run(t, func(t *testing.T) remote.Remote {
		_, rm, _, _ := initDirRemote(t, "encryption=shared", "chunk=100KiB")
		return rm
	}, remotetest.Options{Size: 300 << 10, Fast: true})
}

func TestSharedEncryptionSetupAndLayout(t *testing.T) {
	ctx := context.Background()
	r, rm, store, notes := initDirRemote(t, "encryption=shared", "chunk=5b")
	if d := cmp.Diff([]string{"encryption setup", "encryption key stored in git repository"}, notes); d != "" {
		t.Errorf("initremote notes (-want +got):\n%s", d)
	}
	if rm.Cost() != remote.CheapCost+encryptedCostAdj {
		t.Errorf("cost = %v, want %v", rm.Cost(), remote.CheapCost+encryptedCostAdj)
	}
	info := map[string]string{}
	for _, f := range rm.(remote.InfoReporter).Info() {
		info[f.Name] = f.Value
	}
	if info["encryption"] != "shared (encryption key stored in git repository)" || info["chunking"] != "5 bytes chunks" {
		t.Errorf("info = %v", info)
	}
	entries, err := r.remoteLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var cfg logs.RemoteConfig
	for _, e := range entries {
		cfg = e.Value
	}
	if len(cfg["cipher"]) != 916 || cfg["encryption"] != "shared" || cfg["chunk"] != "5b" {
		t.Errorf("remote.log config = %v", cfg)
	}
	if _, ok := cfg["directory"]; ok {
		t.Errorf("directory= stored in remote.log: %v", cfg)
	}

	// Twelve bytes go to three encrypted chunks, none named after the key.
	k := mustKey(t, hostTestKey)
	src := filepath.Join(t.TempDir(), "a")
	if err := os.WriteFile(src, []byte("hello world\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := rm.Store(ctx, k, remote.Source{Path: src, Size: -1}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	var names []string
	err = filepath.WalkDir(store, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, d.Name())
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 3 {
		t.Fatalf("stored files %q, want 3 chunks", names)
	}
	for _, n := range names {
		if !strings.HasPrefix(n, "GPGHMACSHA1--") || strings.Contains(n, k.HashName()) {
			t.Errorf("stored file %q is not an encrypted key name", n)
		}
	}
	counts, err := r.newSpecialHost("d", rm.UUID(), rm.UUID(), nil).ChunkCounts(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[int64]int64{5: 3}, counts); d != "" {
		t.Errorf("chunk log (-want +got):\n%s", d)
	}
	out := filepath.Join(t.TempDir(), "out")
	sink, err := remotetest.NewFileSink(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := rm.Retrieve(ctx, k, sink, progress.Discard); err != nil {
		t.Fatal(err)
	}
	sink.Close()
	if b, _ := os.ReadFile(out); string(b) != "hello world\n" {
		t.Errorf("retrieved %q", b)
	}
}

func TestEncryptedEmbeddedCreds(t *testing.T) {
	ctx := context.Background()
	r, rm, _, _ := initDirRemote(t, "encryption=shared", "embedcreds=yes")
	entries, err := r.remoteLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg := remote.Config(entries[rm.UUID()].Value)
	h := r.newSpecialHost("d", rm.UUID(), rm.UUID(), cfg)
	if err := h.SetCreds(ctx, "", "AKID", "SECRET"); err != nil {
		t.Fatal(err)
	}
	entries, err = r.remoteLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stored := entries[rm.UUID()].Value["creds"]
	if stored == "" || strings.Contains(stored, "QUtJRApTRUNSRVQK") {
		t.Fatalf("creds= %q is missing or not encrypted", stored)
	}
	// Another clone has only remote.log: the creds are decrypted from there
	// and cached locally.
	credsDir := filepath.Join(r.git.CommonDir, "annex", "creds")
	if err := os.RemoveAll(credsDir); err != nil {
		t.Fatal(err)
	}
	h2 := r.newSpecialHost("d", rm.UUID(), rm.UUID(), remote.Config(entries[rm.UUID()].Value))
	login, pw, ok, err := h2.Creds(ctx, "")
	if err != nil || !ok || login != "AKID" || pw != "SECRET" {
		t.Errorf("embedded Creds = %q %q %v %v", login, pw, ok, err)
	}
	if b, err := os.ReadFile(filepath.Join(credsDir, string(rm.UUID()))); err != nil || string(b) != "AKID\nSECRET\n" {
		t.Errorf("cached creds = %q, %v", b, err)
	}
}
