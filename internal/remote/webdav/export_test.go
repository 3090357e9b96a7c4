package webdav

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/testutil"
)

func exportLoc(t *testing.T, p string) remote.ExportLocation {
	t.Helper()
	l, err := remote.NewExportLocation(p)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Files are exported at their tree paths below the url (git-annex's
// layout), renamed with MOVE, and removed with their directories.
func TestExport(t *testing.T) {
	clearEnv(t)
	srv := testutil.WebDAV(t)
	r := serverRemote(t, srv, remote.Config{"exporttree": "yes"}).(*Remote)
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "a.txt")
	os.WriteFile(src, []byte("hello\n"), 0o644)
	k, _ := key.Parse(helloKey)
	from, to := exportLoc(t, "dir/sub/a b.txt"), exportLoc(t, "other/a.txt")

	if err := r.StoreExport(ctx, remote.Source{Path: src, Size: -1}, k, from, progress.Discard); err != nil {
		t.Fatal(err)
	}
	want := []string{"annex", "annex/dir", "annex/dir/sub", "annex/dir/sub/a b.txt"}
	if diff := cmp.Diff(want, serverFiles(t, srv.Dir)); diff != "" {
		t.Errorf("after StoreExport (-want +got):\n%s", diff)
	}
	if ok, err := r.CheckPresentExport(ctx, k, from); !ok || err != nil {
		t.Errorf("CheckPresentExport = %v, %v", ok, err)
	}
	sink, _ := remotetest.NewFileSink(filepath.Join(t.TempDir(), "sink"))
	if err := r.RetrieveExport(ctx, k, from, sink, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if b, _ := sink.Bytes(); string(b) != "hello\n" {
		t.Errorf("RetrieveExport got %q", b)
	}
	if ok, err := r.RenameExport(ctx, k, from, to); !ok || err != nil {
		t.Fatalf("RenameExport = %v, %v", ok, err)
	}
	if ok, err := r.CheckPresentExport(ctx, k, from); ok || err != nil {
		t.Errorf("CheckPresentExport of the old name = %v, %v", ok, err)
	}
	if err := r.RemoveExport(ctx, k, to); err != nil {
		t.Fatal(err)
	}
	if err := r.RemoveExport(ctx, k, to); err != nil {
		t.Errorf("RemoveExport of an absent file: %v", err)
	}
	for _, d := range []string{"dir/sub", "dir", "other", "never"} {
		if err := r.RemoveExportDirectory(ctx, exportLoc(t, d)); err != nil {
			t.Errorf("RemoveExportDirectory(%s): %v", d, err)
		}
	}
	if diff := cmp.Diff([]string{"annex"}, serverFiles(t, srv.Dir)); diff != "" {
		t.Errorf("after removals (-want +got):\n%s", diff)
	}
}

// Names git-annex cannot put in a URL are refused for storing, and are
// absent (so removing them succeeds).
func TestExportRefusesHashAndQuestionMark(t *testing.T) {
	r, err := New(remote.Params{Name: "dav", UUID: testUUID}, "http://127.0.0.1:1/x", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	k, _ := key.Parse(helloKey)
	loc := exportLoc(t, "what?.txt")
	err = r.StoreExport(context.Background(), remote.Source{Path: "/dev/null", Size: -1}, k, loc, progress.Discard)
	if err == nil || remote.Retryable(err) || !strings.Contains(err.Error(), "Cannot store file containing '#' or '?' on webdav: what?.txt") {
		t.Errorf("StoreExport: %v", err)
	}
	if ok, err := r.CheckPresentExport(context.Background(), k, loc); ok || err != nil {
		t.Errorf("CheckPresentExport = %v, %v", ok, err)
	}
	if err := r.RemoveExport(context.Background(), k, loc); err != nil {
		t.Errorf("RemoveExport: %v", err)
	}
}
