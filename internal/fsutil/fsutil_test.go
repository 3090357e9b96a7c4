package fsutil

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "f")
	for _, data := range []string{"first\n", "second, longer\n", ""} {
		if err := WriteFileAtomic(path, []byte(data), 0o640, tmp); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != data {
			t.Fatalf("content %q, want %q", got, data)
		}
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v, want 0640", fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Fatalf("temp files left behind: %v", ents)
	}
	// Same-directory temp and a failing rename target leave no temp file.
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "f"), []byte("x"), 0o644, ""); err == nil {
		t.Fatal("write into missing dir succeeded")
	}
	bad := filepath.Join(dir, "isdir")
	os.Mkdir(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "x"), nil, 0o644)
	if err := WriteFileAtomic(bad, []byte("x"), 0o644, ""); err == nil {
		t.Fatal("rename over non-empty directory succeeded")
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{"f", "isdir", "tmp"}, names); diff != "" {
		t.Fatalf("directory after failures (-want +got):\n%s", diff)
	}
}

func TestCopyFileHashesWhileCopying(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, copyBufSize - 1, copyBufSize, 3*copyBufSize + 17} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i*31 + i>>9)
		}
		src := filepath.Join(dir, "src")
		if err := os.WriteFile(src, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, withHash := range []bool{true, false} {
			dst := filepath.Join(dir, "dst")
			h := sha256.New()
			var n int64
			var err error
			if withHash {
				n, err = CopyFile(context.Background(), src, dst, h)
			} else {
				n, err = CopyFile(context.Background(), src, dst, nil)
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(dst)
			if n != int64(size) || !bytes.Equal(got, data) {
				t.Fatalf("size %d hash=%v: copied %d bytes, content equal %v", size, withHash, n, bytes.Equal(got, data))
			}
			if want := sha256.Sum256(data); withHash && !bytes.Equal(h.Sum(nil), want[:]) {
				t.Fatalf("size %d: hash of copied bytes differs", size)
			}
		}
	}
}

func TestCopyFileCancelled(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	os.WriteFile(src, make([]byte, 10), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CopyFile(ctx, src, dst, sha256.New()); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want Canceled", err)
	}
	if _, err := os.Lstat(dst); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("dst left after cancelled copy: %v", err)
	}
}

func TestModes(t *testing.T) {
	// Expected values observed with git-annex 10.20230126 under umask 022
	// (objects -r--r--r--, key dirs dr-xr-xr-x or drwxrwxr-x when shared,
	// hash dirs drwxrwxr-x when shared) and derived from Annex/Perms.hs.
	tests := []struct {
		s                                           Shared
		frozenFile, thawedFile, frozenDir, annexDir fs.FileMode
	}{
		{NotShared, 0o444, 0o644, 0o555, 0o755},
		{GroupShared, 0o444, 0o664, 0o775, 0o775},
		{AllShared, 0o444, 0o664, 0o775, 0o775},
	}
	for _, tc := range tests {
		got := []fs.FileMode{
			FrozenFileMode(0o644, tc.s), ThawedFileMode(0o444, tc.s),
			FrozenDirMode(0o755, tc.s), AnnexDirMode(0o755, tc.s),
		}
		want := []fs.FileMode{tc.frozenFile, tc.thawedFile, tc.frozenDir, tc.annexDir}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%v (-want +got):\n%s", tc.s, diff)
		}
	}
	// Under a strict umask the sharing modes differ in who may read.
	if got := FrozenFileMode(0o600, GroupShared); got != 0o440 {
		t.Errorf("group frozen from 0600 = %v", got)
	}
	if got := FrozenFileMode(0o600, AllShared); got != 0o444 {
		t.Errorf("all frozen from 0600 = %v", got)
	}
	if got := AnnexDirMode(0o700, AllShared); got != 0o775 {
		t.Errorf("all annex dir from 0700 = %v", got)
	}
}

func TestFreezeThawOnDisk(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "k", "f")
	if err := MkdirAll(filepath.Dir(f), GroupShared); err != nil {
		t.Fatal(err)
	}
	if err := MkdirAll(filepath.Dir(f), GroupShared); err != nil {
		t.Fatalf("second MkdirAll: %v", err)
	}
	os.WriteFile(f, []byte("x"), 0o600)
	perm := func(p string) fs.FileMode {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}
	if m := perm(filepath.Dir(f)); m&0o770 != 0o770 {
		t.Fatalf("group-shared dir mode %v lacks group rwx", m)
	}
	steps := []struct {
		do   func() error
		path string
		want fs.FileMode
	}{
		{func() error { return FreezeFile(f, NotShared) }, f, 0o400},
		{func() error { return ThawFile(f, NotShared) }, f, 0o600},
		{func() error { return FreezeFile(f, AllShared) }, f, 0o444},
		{func() error { return ThawFile(f, GroupShared) }, f, 0o664},
		{func() error { return FreezeDir(filepath.Dir(f), NotShared) }, filepath.Dir(f), perm(filepath.Dir(f)) &^ 0o222},
		{func() error { return ThawDir(filepath.Dir(f)) }, filepath.Dir(f), perm(filepath.Dir(f))&^0o222 | 0o200},
	}
	for i, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got := perm(s.path); got != s.want {
			t.Fatalf("step %d: mode %v, want %v", i, got, s.want)
		}
	}
	if err := FreezeFile(filepath.Join(dir, "nope"), NotShared); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("freeze missing: %v", err)
	}
}

func TestMkdirAllNotSharedHonoursUmask(t *testing.T) {
	old := unix.Umask(0o027)
	defer unix.Umask(old)
	d := filepath.Join(t.TempDir(), "a", "b")
	if err := MkdirAll(d, NotShared); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(d)
	if fi.Mode().Perm() != 0o750 {
		t.Fatalf("mode %v, want 0750", fi.Mode().Perm())
	}
}

func TestParseShared(t *testing.T) {
	for in, want := range map[string]Shared{
		"": NotShared, "umask": NotShared, "false": NotShared, "0": NotShared,
		"group": GroupShared, "true": GroupShared, "1": GroupShared, "0660": GroupShared,
		"all": AllShared, "world": AllShared, "everybody": AllShared, "2": AllShared, "0664": AllShared,
	} {
		got, err := ParseShared(in)
		if err != nil || got != want {
			t.Errorf("ParseShared(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"bogus", "0999", "3"} {
		if _, err := ParseShared(in); err == nil {
			t.Errorf("ParseShared(%q) accepted", in)
		}
	}
}

func FuzzParseShared(f *testing.F) {
	for _, s := range []string{"group", "all", "0660", "umask", "07777", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseShared(s)
		if err != nil && v != NotShared {
			t.Fatalf("error with non-default value %v", v)
		}
		if err == nil {
			again, err := ParseShared(v.String())
			if err != nil || again != v {
				t.Fatalf("String round trip of %v: %v, %v", v, again, err)
			}
		}
	})
}
