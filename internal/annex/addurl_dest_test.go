package annex

import (
	"os"
	"path/filepath"
	"testing"
)

// TestAddURLDestination checks the names addurl gives, from the web and
// from a special remote: --file first, then the suggested name
// (sanitized), which the web passes over when the file exists and a
// remote does not, then the URL's name; --prefix and --suffix around it.
func TestAddURLDestination(t *testing.T) {
	r, _ := newHostRepo(t, nil)
	if err := os.WriteFile(filepath.Join(r.paths.Top, "taken.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	a := &URLAdder{r: r}
	const u = "http://example.com/dir/f.dat"
	for _, tc := range []struct {
		name         string
		o            AddURLOptions
		suggested    string
		unlessExists bool
		want         string
	}{
		{"url name", AddURLOptions{}, "", true, "example.com_dir_f.dat"},
		{"pathdepth", AddURLOptions{PathDepth: -1, HasPathDepth: true}, "", false, "f.dat"},
		{"suggested", AddURLOptions{}, "x.txt", true, "x.txt"},
		{"web passes over existing", AddURLOptions{}, "taken.txt", true, "example.com_dir_f.dat"},
		{"remote keeps existing", AddURLOptions{}, "taken.txt", false, "taken.txt"},
		{"file wins", AddURLOptions{File: "sub/given"}, "s.txt", true, "sub/given"},
		{"prefix suffix", AddURLOptions{Prefix: "p-", Suffix: ".s"}, "s.txt", false, "p-s.txt.s"},
	} {
		got, err := a.destination(u, tc.o, tc.suggested, tc.unlessExists)
		if err != nil || got != tc.want {
			t.Errorf("%s: destination = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}
