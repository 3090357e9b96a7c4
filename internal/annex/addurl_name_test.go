package annex

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Names git-annex 10.20230126 gave (addurl --relaxed --json).
func TestURLFileNameGolden(t *testing.T) {
	for _, tc := range []struct {
		url      string
		depth    int
		hasDepth bool
		want     string
	}{
		{"file:///tmp/w/srv/ufile", 0, false, "_tmp_w_srv_ufile"},
		{"http://127.0.0.1:8765/ufile", 0, false, "127.0.0.1_ufile"},
		{"http://127.0.0.1:8765/ufile", 1, true, "ufile"},
		{"http://example.com/a?x=1&y=2,z", 0, false, "example.com_a_x_1_y_2_z"},
		{"https://example.com/dir/file%20name.tar.gz", 0, false, "example.com_dir_file_20name.tar.gz"},
		{"http://example.com/", 0, false, "example.com_"},
		{"http://example.com/.hidden", 0, false, "example.com_.hidden"},
		{"http://[::1]:8080/v6/f", 0, false, "___1__v6_f"},
		{"http://example.com/ü/é.txt", 0, false, "example.com__C3_BC__C3_A9.txt"},
		{"http://user:pw@example.com:81/p/q.dat#frag", 0, false, "example.com_p_q.dat"},
		{"http://example.com/a/b/c/d.txt", 2, true, "b/c/d.txt"},
		{"http://example.com/a/b/c/e.txt", -2, true, "c/e.txt"},
		{"http://example.com/a/b/c/f.txt", 9, true, "example.com/a/b/c/f.txt"},
	} {
		got, err := URLFileName(tc.url, tc.depth, tc.hasDepth)
		if err != nil || got != tc.want {
			t.Errorf("URLFileName(%q, %d) = %q, %v; want %q", tc.url, tc.depth, got, err, tc.want)
		}
	}
	if _, err := URLFileName("http://a/b", 0, true); err == nil || err.Error() != "bad --pathdepth" {
		t.Errorf("depth 0: %v", err)
	}
}

func TestSanitizeFileName(t *testing.T) {
	for in, want := range map[string]string{
		"": "file", ".x": "_x", "-x": "_x", "a b/c": "a_b_c", "ok.tar-gz": "ok.tar-gz", "a\x01$": "a__", "über": "über",
	} {
		if got := SanitizeFileName(in); got != want {
			t.Errorf("SanitizeFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzURLFileName(f *testing.F) {
	for _, s := range []string{"http://a/b", "file:///x/y", "http://[::1]:1/", "http://a/%zz", "http://x/" + strings.Repeat("é", 300)} {
		f.Add(s, 0, false)
		f.Add(s, -1, true)
	}
	f.Fuzz(func(t *testing.T, u string, depth int, hasDepth bool) {
		name, err := URLFileName(u, depth, hasDepth)
		if err != nil {
			return
		}
		if name == "" || strings.HasPrefix(name, "/") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "-") {
			t.Errorf("%q gave unsafe name %q", u, name)
		}
		for _, part := range strings.Split(name, "/") {
			if part == "" || part == "." || part == ".." || len(part) > maxFileNameBytes {
				t.Errorf("%q gave unsafe component %q of %q", u, part, name)
			}
		}
		if !hasDepth && strings.Contains(name, "/") {
			t.Errorf("%q gave a path %q without --pathdepth", u, name)
		}
		if utf8.ValidString(u) && !utf8.ValidString(name) {
			t.Errorf("%q gave invalid UTF-8 %q", u, name)
		}
	})
}
