package s3

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/testutil"
	"github.com/troveproject/trove/internal/uuid"
)

// TestVersionInteropWithGitAnnex shares a versioned export bucket with
// the real git-annex: Trove retrieves by the version git-annex recorded
// for a key whose file git-annex removed from the export, and git-annex
// retrieves by the version Trove recorded for a key whose file is gone
// from the bucket.
func TestVersionInteropWithGitAnnex(t *testing.T) {
	srv := s3Server(t)
	setCreds(t, srv)
	ctx := context.Background()
	dir := testutil.NewAnnexRepo(t, uuid.New(), "repo")
	testutil.RunGit(t, dir, "config", "annex.security.allowed-ip-addresses", "127.0.0.1")
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("g.txt", "exported by git-annex\n")
	testutil.RunAnnex(t, dir, "add", "-q", "g.txt")
	testutil.RunGit(t, dir, "commit", "-q", "-m", "g")

	bucket := newBucket()
	cfg := testCfg(srv.Addr(), bucket, "v2")
	cfg["exporttree"], cfg["versioning"], cfg["fileprefix"] = "yes", "yes", "p/"
	args := []string{"initremote", "-q", "s3e"}
	for _, f := range []string{"type", "encryption", "exporttree", "versioning", "host", "port", "protocol", "requeststyle", "bucket", "fileprefix"} {
		args = append(args, f+"="+cfg[f])
	}
	testutil.RunAnnex(t, dir, args...)
	u := uuid.UUID(strings.TrimSpace(testutil.RunGit(t, dir, "config", "remote.s3e.annex-uuid")))
	h := newMetaHost(t, u)
	r, err := New(remote.Params{Name: "s3e", UUID: u, Config: cfg, Host: h})
	if err != nil {
		t.Fatal(err)
	}
	keyOf := func(file string) key.Key {
		k, err := key.Parse(strings.TrimSpace(testutil.RunAnnex(t, dir, "lookupkey", file)))
		if err != nil {
			t.Fatal(err)
		}
		return k
	}

	// git-annex exports g.txt, then a tree without it.
	testutil.RunAnnex(t, dir, "export", "-q", "master", "--to", "s3e")
	kg := keyOf("g.txt")
	testutil.RunGit(t, dir, "rm", "-q", "g.txt")
	testutil.RunGit(t, dir, "commit", "-q", "-m", "no g")
	testutil.RunAnnex(t, dir, "export", "-q", "master", "--to", "s3e")
	rmet := logs.KeyLogPath(kg, false, logs.RemoteMetaDataExt)
	h.setLog(kg, testutil.RunGit(t, dir, "show", "git-annex:"+rmet))
	sink, err := remotetest.NewFileSink(filepath.Join(t.TempDir(), "g"))
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	if err := r.Retrieve(ctx, kg, sink, progress.Discard); err != nil {
		t.Fatalf("Trove retrieving what git-annex exported and unexported: %v", err)
	}
	if b, _ := sink.Bytes(); string(b) != "exported by git-annex\n" {
		t.Errorf("Trove retrieved %q", b)
	}

	// Trove exports h.txt; the file then disappears from the bucket.
	write("h.txt", "exported by Trove\n")
	testutil.RunAnnex(t, dir, "add", "-q", "h.txt")
	testutil.RunGit(t, dir, "commit", "-q", "-m", "h")
	kh := keyOf("h.txt")
	loc, _ := remote.NewExportLocation("h.txt")
	obj, err := filepath.EvalSymlinks(filepath.Join(dir, "h.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.StoreExport(ctx, remote.Source{Path: obj, Size: -1}, kh, loc, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if err := client(t, srv).RemoveObject(ctx, bucket, "p/h.txt", minio.RemoveObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	// What Trove recorded goes into the repository as a journal entry,
	// with the location log saying the remote has the key.
	journal := filepath.Join(dir, ".git", "annex", "journal")
	if err := os.MkdirAll(journal, 0o755); err != nil {
		t.Fatal(err)
	}
	name := strings.ReplaceAll(strings.ReplaceAll(logs.KeyLogPath(kh, false, logs.RemoteMetaDataExt), "_", "__"), "/", "_")
	if err := os.WriteFile(filepath.Join(journal, name), []byte(h.log(kh)), 0o644); err != nil {
		t.Fatal(err)
	}
	testutil.RunAnnex(t, dir, "setpresentkey", kh.String(), string(u), "1")
	testutil.RunAnnex(t, dir, "drop", "-q", "--force", "h.txt")
	testutil.RunAnnex(t, dir, "get", "-q", "--from", "s3e", "h.txt")
	if b, err := os.ReadFile(filepath.Join(dir, "h.txt")); string(b) != "exported by Trove\n" || err != nil {
		t.Errorf("git-annex retrieved %q, %v", b, err)
	}
}
