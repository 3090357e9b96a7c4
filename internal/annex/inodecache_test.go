package annex

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
)

func mustKey(t *testing.T, s string) key.Key {
	t.Helper()
	k, err := key.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestParseInodeCacheSkipsTornAndBadLines(t *testing.T) {
	k1 := mustKey(t, "SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt")
	k2 := mustKey(t, "SHA256E-s2--73cb3858a687a8494ca3323053016282f3dad39d42cf62ca4e79dda2aac7d9ac.txt")
	data := "10 6 1700000000123456789 " + k1.String() + "\n" +
		"garbage line\n" +
		"11 -2 5 " + k2.String() + "\n" + // negative size
		"10 6 1700000000123456789 " + k2.String() + "\n" + // later line wins
		"12 2 7 " + k2.String() // torn: no newline
	got, lines := parseInodeCache([]byte(data))
	want := map[fileStamp]key.Key{{Ino: 10, Size: 6, Mtime: 1700000000123456789}: k2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if lines != 2 {
		t.Errorf("valid lines = %d, want 2", lines)
	}
}

func TestInodeCacheRecordLookup(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	k := mustKey(t, "SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt")
	cachePath := filepath.Join(dir, inodeCacheFile)
	(&inodeCache{path: cachePath}).record(file, k)

	// A fresh cache (another process) finds the file by its stamp.
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	c := &inodeCache{path: cachePath}
	if got, ok := c.lookup(fi); !ok || got != k {
		t.Fatalf("lookup = %v, %v; want %v, true", got, ok, k)
	}
	// Changing the file (size and mtime) makes it unknown.
	if err := os.WriteFile(file, []byte("hello, changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fi2, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := (&inodeCache{path: cachePath}).lookup(fi2); ok {
		t.Errorf("lookup of changed file = %v, want miss", got)
	}
	// recordUnchanged refuses a file that changed since before.
	c3 := &inodeCache{path: filepath.Join(dir, "other.log")}
	c3.recordUnchanged(file, k, fi)
	if _, err := os.Stat(c3.path); !os.IsNotExist(err) {
		t.Errorf("recordUnchanged recorded a changed file (stat err %v)", err)
	}
}

func TestInodeCacheCompacts(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, inodeCacheFile)
	k := mustKey(t, "SHA256E-s2--73cb3858a687a8494ca3323053016282f3dad39d42cf62ca4e79dda2aac7d9ac.txt")
	var data []byte
	for i := 0; i < compactSlack+10; i++ {
		data = append(data, formatInodeLine(fileStamp{Ino: 1, Size: 2, Mtime: 3}, k)...)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	c := &inodeCache{path: path}
	c.mu.Lock()
	c.load()
	c.mu.Unlock()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(formatInodeLine(fileStamp{Ino: 1, Size: 2, Mtime: 3}, k)), string(got)); diff != "" {
		t.Errorf("compacted file (-want +got):\n%s", diff)
	}
}

func TestWithoutFilterLine(t *testing.T) {
	// The first two pairs were captured from git-annex 10.20230126 uninit.
	for in, want := range map[string]string{
		"x\n* foo\n\n* filter=annex\n":    "x\n* foo\n",
		"x\n\n* filter=annex\n* foo\n":    "x\n* foo\n",
		"\n* filter=annex\n":              "",
		"*.dat annex.largefiles=anything": "*.dat annex.largefiles=anything\n",
	} {
		if got := string(withoutFilterLine([]byte(in))); got != want {
			t.Errorf("withoutFilterLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseInodeLine(f *testing.F) {
	f.Add([]byte("10 6 1700000000123456789 SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt"))
	f.Add([]byte("1 2 3 WORM-s2-m3--a b"))
	f.Add([]byte(" 1 2"))
	f.Fuzz(func(t *testing.T, line []byte) {
		s, k, err := parseInodeLine(line)
		if err != nil {
			return
		}
		// What parses formats back to a line that parses the same.
		out := formatInodeLine(s, k)
		s2, k2, err := parseInodeLine(out[:len(out)-1])
		if err != nil || s2 != s || k2 != k {
			t.Fatalf("round trip of %q: %v %v %v", line, s2, k2, err)
		}
	})
}
