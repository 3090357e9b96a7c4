package backend

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
)

// TestWORMKey compares with `git annex calckey --backend=WORM` run in a
// repository on files in the directory w/ with mtime 1700000000
// (git-annex 10.20230126).
func TestWORMKey(t *testing.T) {
	tests := []struct {
		path string
		size int64
		want string
	}{
		{"w/my file, x.bin", 5, "WORM-s5-m1700000000--w/my,32file,,,32x.bin"},
		{"w/a?b&c=d", 5, "WORM-s5-m1700000000--w/a,63b,38c,61d"},
		{"w/tab\tx", 5, "WORM-s5-m1700000000--w/tab,9x"},
		{"w/emoji😀.txt", 5, "WORM-s5-m1700000000--w/emoji,128512.txt"},
		{"w/bad\xffname", 5, "WORM-s5-m1700000000--w/bad,56575name"},
		{"w/" + strings.Repeat("a", 62), 1, "WORM-s1-m1700000000--w/" + strings.Repeat("a", 62)},
		{"w/" + strings.Repeat("a", 63), 1, "WORM-s1-m1700000000--w/aaaaaaaaaaaaaaaaaaaaaaaaaaaaa-124634596f071e5271c5548d080f1f6f"},
		{"w/exactly-64-bytes-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 5,
			"WORM-s5-m1700000000--w/exactly-64-bytes-aaaaaaaaaaaa-c228dd4b7388d1a1c90c872714640986"},
		{"w/über-long-ñame-ççççççççççççççççççççççççççççççççççççççççççç.dat", 5,
			"WORM-s5-m1700000000--w/,252ber-long-,241ame-,231,231-e6566dc7ecba68294301344f870199b5"},
	}
	for _, tt := range tests {
		got := WORMKey(tt.path, tt.size, 1700000000).String()
		if got != tt.want {
			t.Errorf("WORMKey(%q):\n got %s\nwant %s", tt.path, got, tt.want)
		}
	}
}

// TestURLKey compares with keys made by `git annex addurl --relaxed --raw`
// (git-annex 10.20230126) and, for the sized form, internals §1.1.
func TestURLKey(t *testing.T) {
	tests := []struct {
		url     string
		size    int64
		hasSize bool
		want    string
	}{
		{"file:///tmp/demo/webfile.dat", 0, false, "URL--file:///tmp/demo/webfile.dat"},
		{"file:///tmp/demo/webfile.dat", 12, true, "URL-s12--file:///tmp/demo/webfile.dat"},
		{"http://example.com/a?x=1&y=2,z", 0, false, "URL--http://example.com/a,63x,611,38y,612,,z"},
		{"http://example.com/ü", 0, false, "URL--http://example.com/,252"},
		{"http://example.com/some/very/long/path/to/the/file.tar.gz?query=abcdefghijklmnop", 0, false,
			"URL--http://example.com/some/very/lo-af062e854fed30911148913a672fc9b0"},
	}
	for _, tt := range tests {
		got := URLKey(tt.url, tt.size, tt.hasSize).String()
		if got != tt.want {
			t.Errorf("URLKey(%q):\n got %s\nwant %s", tt.url, got, tt.want)
		}
	}
}

// checkKeyName asserts the properties every key name fragment must have:
// no newline, and it survives a parse round trip inside a key.
func checkKeyName(t *testing.T, variety, name string) {
	t.Helper()
	if strings.ContainsRune(name, '\n') {
		t.Fatalf("name %q contains a newline", name)
	}
	k := key.Key{Variety: variety, Size: 1, HasSize: true, Name: name}
	back, err := key.Parse(k.String())
	if err != nil {
		t.Fatalf("key with name %q does not parse: %v", name, err)
	}
	if diff := cmp.Diff(k, back); diff != "" {
		t.Fatalf("round trip of %q (-want +got):\n%s", k, diff)
	}
}

func FuzzSanitizeKeyName(f *testing.F) {
	for _, s := range []string{"", "a", "w/my file, x.bin", "bad\xffname", "x\ny", strings.Repeat("ü", 40), "😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name := SanitizeKeyName(s)
		checkKeyName(t, "URL", name)
		checkKeyName(t, "WORM", name)
		if len(s) > maxKeyNameBytes && len(name) != maxKeyNameBytes {
			t.Errorf("SanitizeKeyName(%q) = %q: %d bytes, want %d", s, name, len(name), maxKeyNameBytes)
		}
		for i := 0; i < len(name); i++ {
			if name[i] >= 0x80 {
				t.Fatalf("SanitizeKeyName(%q) = %q: not ASCII", s, name)
			}
		}
	})
}

func FuzzSelectExtension(f *testing.F) {
	for _, s := range []string{"foo.tar.gz", "ü.extü", "a.b..gz", ".hidden", "x.\n.y", "x.ÿÿ.z", "dir.d/"} {
		f.Add(s, DefaultMaxExtensionLength)
	}
	f.Fuzz(func(t *testing.T, filename string, maxLen int) {
		// Two components of at most 31 bytes keep the extension within the
		// 64 bytes a key may carry; git-annex does not check larger settings.
		maxLen %= 32
		ext := SelectExtension(filename, maxLen)
		if ext == "" {
			return
		}
		if ext[0] != '.' || strings.Contains(ext, "..") || strings.HasSuffix(ext, ".") {
			t.Fatalf("SelectExtension(%q, %d) = %q: malformed", filename, maxLen, ext)
		}
		if n := strings.Count(ext, "."); n > 2 {
			t.Fatalf("SelectExtension(%q, %d) = %q: %d components", filename, maxLen, ext, n)
		}
		for _, c := range strings.Split(ext[1:], ".") {
			if len(c) > maxLen || !strings.Contains(filename, "."+c) {
				t.Fatalf("SelectExtension(%q, %d) = %q: component %q not from the name or too long", filename, maxLen, ext, c)
			}
		}
		checkKeyName(t, "SHA256E", strings.Repeat("0", 64)+ext)
	})
}
