package remote

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
)

func TestNewExportLocation(t *testing.T) {
	for _, p := range []string{"a", "a/b.txt", "dir with space/f", ".hidden", "a/..b", "...", `back\slash`} {
		l, err := NewExportLocation(p)
		if err != nil {
			t.Errorf("NewExportLocation(%q): %v", p, err)
			continue
		}
		if l.String() != p {
			t.Errorf("NewExportLocation(%q).String() = %q", p, l.String())
		}
	}
	for _, p := range []string{"", "/etc/passwd", "../x", "a/../../x", "a/..", "./a", "a//b", "a/", "a/./b", "a\x00b"} {
		_, err := NewExportLocation(p)
		if !errors.Is(err, ErrBadExportLocation) {
			t.Errorf("NewExportLocation(%q) = %v, want ErrBadExportLocation", p, err)
		}
		if err != nil && !strings.Contains(err.Error(), strconv.Quote(p)) {
			t.Errorf("error %q does not name %q", err, p)
		}
	}
}

func TestExportLocationDirs(t *testing.T) {
	l, _ := NewExportLocation("a/b/c")
	var got []string
	for _, d := range l.Dirs() {
		got = append(got, d.String())
	}
	if diff := cmp.Diff([]string{"a/b", "a"}, got); diff != "" {
		t.Error(diff)
	}
	top, _ := NewExportLocation("f")
	if len(top.Dirs()) != 0 {
		t.Errorf("Dirs of a top-level file = %v", top.Dirs())
	}
}

func TestTempExportLocation(t *testing.T) {
	k, err := key.Parse("SHA256E-s4--5e46266be5fda8508117bfafcbb22d0e177a3b476ed603a39e47f1586b2ef4a3.txt")
	if err != nil {
		t.Fatal(err)
	}
	// As git-annex named it in an export (captured).
	want := ".git-annex-tmp-content-SHA256E-s4--5e46266be5fda8508117bfafcbb22d0e177a3b476ed603a39e47f1586b2ef4a3.txt"
	if got := TempExportLocation(k).String(); got != want {
		t.Errorf("TempExportLocation = %q, want %q", got, want)
	}
}

// FuzzNewExportLocation checks that an accepted location, joined to a
// root, never leaves it.
func FuzzNewExportLocation(f *testing.F) {
	for _, s := range []string{"a/b", "../x", "a/../../b", "/abs", "a//b", ".", "..."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		l, err := NewExportLocation(p)
		if err != nil {
			return
		}
		root := "/export/root"
		j := filepath.Join(root, filepath.FromSlash(l.String()))
		if !strings.HasPrefix(j, root+"/") {
			t.Fatalf("%q joined to %s is %s, outside the root", p, root, j)
		}
		for _, d := range l.Dirs() {
			if _, err := NewExportLocation(d.String()); err != nil {
				t.Fatalf("dir %q of %q invalid: %v", d, p, err)
			}
		}
	})
}
