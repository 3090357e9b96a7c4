package directory

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
)

func importRemote(t *testing.T, cfg remote.Config) (*Remote, string) {
	t.Helper()
	dir := t.TempDir()
	return New(remote.Params{Name: "imp", UUID: testUUID, Config: cfg}, dir), dir
}

func write(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestListImportable(t *testing.T) {
	r, dir := importRemote(t, remote.Config{})
	write(t, dir, "a.txt", "alpha\n")
	write(t, dir, "sub/deep/b", "bee")
	write(t, dir, "sub/.git-annex-tmp-content-SHA256E-s1--x", "t")
	write(t, dir, ".trove-tmp-1-a.txt", "t")
	if err := os.Symlink("a.txt", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	files, err := r.ListImportable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Loc.String())
	}
	slices.Sort(got)
	if diff := cmp.Diff([]string{"a.txt", "sub/deep/b"}, got); diff != "" {
		t.Errorf("listed (-want +got):\n%s", diff)
	}
	// The identifier is git-annex's InodeCache: inode, size and mtime
	// (TestContentIDFormat pins how the mtime's fraction is written).
	fi, err := os.Stat(filepath.Join(dir, "a.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ino := fi.Sys().(*syscall.Stat_t).Ino
	for _, f := range files {
		if f.Loc.String() != "a.txt" {
			continue
		}
		got, ok := parseID(f.CID)
		want := idStamp{ino: ino, size: 6, sec: uint64(fi.ModTime().Unix()), nanos: fi.ModTime().Nanosecond()}
		if !ok || got != want {
			t.Errorf("content identifier %q is %+v, want %+v", f.CID, got, want)
		}
		if f.Size != 6 {
			t.Errorf("size %d, want 6", f.Size)
		}
	}
}

var testKey = key.Key{Variety: "SHA256E", Size: 4, HasSize: true, Name: "0000"}

func TestIgnoreInodes(t *testing.T) {
	r, dir := importRemote(t, remote.Config{IgnoreInodesField: "yes"})
	write(t, dir, "a", "x")
	files, err := r.ListImportable(context.Background())
	if err != nil || len(files) != 1 {
		t.Fatalf("list: %v %v", files, err)
	}
	if !strings.HasPrefix(string(files[0].CID), "0 1 ") {
		t.Errorf("cid %q: want inode 0 with ignoreinodes=yes", files[0].CID)
	}
}

func TestRetrieveImport(t *testing.T) {
	ctx := context.Background()
	r, dir := importRemote(t, remote.Config{})
	write(t, dir, "a.txt", "alpha\n")
	files, err := r.ListImportable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sink, err := remotetest.NewFileSink(filepath.Join(t.TempDir(), "dst"))
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	if err := r.RetrieveImport(ctx, files[0].Loc, files[0].CID, sink, progress.Discard); err != nil {
		t.Fatal(err)
	}
	got, err := sink.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "alpha\n" {
		t.Errorf("retrieved %q", got)
	}

	// Changed on the remote since listed: refused.
	p := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(p, []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	err = r.RetrieveImport(ctx, files[0].Loc, files[0].CID, sink, progress.Discard)
	if !errors.Is(err, remote.ErrContentChanged) {
		t.Errorf("retrieve of a changed file: %v, want ErrContentChanged", err)
	}

	// Expected-content overwrite and removal.
	loc := files[0].Loc
	src := filepath.Join(t.TempDir(), "src")
	if err := os.WriteFile(src, []byte("new\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := r.StoreExportWithContentID(ctx, remote.Source{Path: src, Size: -1}, testKey, loc, []remote.ContentID{files[0].CID}, progress.Discard); !errors.Is(err, remote.ErrContentChanged) {
		t.Errorf("overwrite of a changed file: %v, want ErrContentChanged", err)
	}
	if err := r.RemoveExportWithContentID(ctx, testKey, loc, []remote.ContentID{files[0].CID}); !errors.Is(err, remote.ErrContentChanged) {
		t.Errorf("removal of a changed file: %v, want ErrContentChanged", err)
	}
	now, err := r.ListImportable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cid, err := r.StoreExportWithContentID(ctx, remote.Source{Path: src, Size: -1}, testKey, loc, []remote.ContentID{now[0].CID}, progress.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := r.CheckPresentExportWithContentID(ctx, testKey, loc, []remote.ContentID{cid}); !ok || err != nil {
		t.Errorf("present with the new identifier: %v %v", ok, err)
	}
	if err := r.RemoveExportWithContentID(ctx, testKey, loc, []remote.ContentID{cid}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("file still there after removal: %v", err)
	}
}

// The content identifier is git-annex's showInodeCache of a high-resolution
// mtime: the fraction keeps its leading zeros and drops trailing ones.
func TestContentIDFormat(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("12345"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &Remote{dir: dir, cfg: remote.Config{}}
	for _, tc := range []struct {
		nanos int
		frac  string
	}{
		{50_000_000, "05"},
		{123_456_789, "123456789"},
		{120_000_000, "12"},
		{7, "000000007"},
		{0, ""},
	} {
		mt := time.Unix(1700000000, int64(tc.nanos))
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		ino := fi.Sys().(*syscall.Stat_t).Ino
		want := remote.ContentID(fmt.Sprintf("%d 5 1700000000 %s", ino, tc.frac))
		got := r.contentID(fi)
		if got != want {
			t.Errorf("nanos %d: contentID %q, want %q", tc.nanos, got, want)
		}
		if !sameID(got, want) {
			t.Errorf("nanos %d: sameID(%q, %q) = false", tc.nanos, got, want)
		}
	}
	if sameID("1 5 1700000000 05", "1 5 1700000000 5") {
		t.Error("0.05 s and 0.5 s compare equal")
	}
	if !sameID("1 5 1700000000 5", "1 5 1700000000 500") {
		t.Error("0.5 s written two ways compares unequal")
	}
	if !sameID("1 5 1700000000 ", "1 5 1700000000") {
		t.Error("a whole second written with and without the empty fraction compares unequal")
	}
}
