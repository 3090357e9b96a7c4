package annex

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/pointer"
)

// A file holding the dropped content becomes its pointer file with its
// mode and mtime; modified files and pointer files are left alone.
func TestDepopulateFile(t *testing.T) {
	ctx := context.Background()
	r, dir := seekRepo(t)
	k, ok, err := r.LookupKey(ctx, "a.txt")
	if err != nil || !ok {
		t.Fatalf("LookupKey(a.txt) = %v, %v", ok, err)
	}
	mtime := time.Unix(1700000000, 123456789)
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return p
	}
	same := write("same.txt", "aaa\n")
	modified := write("modified.txt", "aaa\nmore\n")
	ptr := write("ptr.txt", string(pointer.File(k)))
	ic := r.newInodeCache()
	var notes []string
	note := func(n string) { notes = append(notes, n) }

	for _, c := range []struct {
		path string
		want bool
	}{{"same.txt", true}, {"modified.txt", false}, {"ptr.txt", false}, {"missing.txt", false}} {
		got, err := r.depopulateFile(ctx, ic, c.path, k, note)
		if err != nil || got != c.want {
			t.Errorf("depopulateFile(%s) = %v, %v; want %v", c.path, got, err, c.want)
		}
	}
	if diff := cmp.Diff([]string{"checksum..."}, notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	data, _ := os.ReadFile(same)
	if string(data) != string(pointer.File(k)) {
		t.Errorf("same.txt = %q, want the pointer file", data)
	}
	fi, err := os.Stat(same)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o755 || !fi.ModTime().Equal(mtime) {
		t.Errorf("same.txt mode %v mtime %v, want 0755 and %v", fi.Mode().Perm(), fi.ModTime(), mtime)
	}
	if data, _ := os.ReadFile(modified); string(data) != "aaa\nmore\n" {
		t.Errorf("modified.txt changed: %q", data)
	}
	if data, _ := os.ReadFile(ptr); string(data) != string(pointer.File(k)) {
		t.Errorf("ptr.txt changed: %q", data)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.trove-depopulate")); len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
}

// Dead keys as git-annex's checkDead sees them.
func TestDeadLocationLog(t *testing.T) {
	for _, c := range []struct {
		log  string
		want bool
	}{
		{"", false},
		{"garbage\n", false},
		{"1700000001s X 0d000000-0000-4000-8000-000000000000\n", true},
		{"1700000000s 0 0d000000-0000-4000-8000-000000000000\n1700000000.000000000001s X 0d000000-0000-4000-8000-000000000000\n", true},
		{"1700000001s X 0d000000-0000-4000-8000-000000000000\n1700000000s 1 0d000000-0000-4000-8000-00000000000a\n", false},
		{"1700000001s X 0d000000-0000-4000-8000-000000000000\n1700000002s 0 0d000000-0000-4000-8000-000000000000\n", false},
		{"1700000000s 0 0d000000-0000-4000-8000-000000000000\n", false},
	} {
		if got := DeadLocationLog([]byte(c.log)); got != c.want {
			t.Errorf("DeadLocationLog(%q) = %v, want %v", c.log, got, c.want)
		}
	}
}

func FuzzDeadLocationLog(f *testing.F) {
	f.Add([]byte("1700000001s X 0d000000-0000-4000-8000-000000000000\n"))
	f.Add([]byte("1700000001s X u\n1700000000s 1 v\n"))
	f.Fuzz(func(t *testing.T, log []byte) {
		dead := DeadLocationLog(log)
		if dead && len(logs.PresentInfos(logs.ParsePresence(log))) > 0 {
			t.Fatalf("%q: dead with a present copy", log)
		}
		if dead && len(logs.ParsePresence(log)) == 0 {
			t.Fatalf("%q: dead without log lines", log)
		}
	})
}
