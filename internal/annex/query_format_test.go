package annex

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// Golden values captured from git-annex 10.20230126 find --format.
func TestFormatGolden(t *testing.T) {
	tests := []struct {
		format string
		vars   map[string]string
		want   string
	}{
		{`${file}|${escaped_file}|${unknownvar}|\t\\n|${hashdirmixed}\n`,
			map[string]string{"file": "ñ.tar.gz", "hashdirmixed": "8z/zQ/"},
			"ñ.tar.gz|\\361.tar.gz||\t\\n|8z/zQ/\n"},
		{`\a\b\f\v\r\x41\101\"\e\\q`, nil, "\a\b\f\v\rAA\"e\\q"},
		{`${escaped_file}`, map[string]string{"file": "a b"}, `a\040b`},
		{`${escaped_file}`, map[string]string{"file": `bs\x`}, `bs\\x`},
		{`${escaped_file}`, map[string]string{"file": "n\nl"}, `n\nl`},
		{`${escaped_file}`, map[string]string{"file": `q"x`}, `q\"x`},
		{`${escaped_file}`, map[string]string{"file": "t\tab"}, `t\tab`},
		{`${escaped_file}`, map[string]string{"file": "é€😀"}, `\351\342\202\254\360\237\230\200`},
		{`${escaped_file}`, map[string]string{"file": "pct%"}, `pct%`},
		{`[${key;6}][${key;-6}]`, map[string]string{"key": "ab"}, "[    ab][ab    ]"},
		{`${unterminated`, nil, "${unterminated"},
	}
	for _, tt := range tests {
		got := ParseFormat(tt.format).Expand(tt.vars)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseFormat(%q).Expand: (-want +got)\n%s", tt.format, diff)
		}
	}
}

// FuzzParseFormat: every string parses; a format without escapes or
// variables expands to itself; escaping never yields bytes outside
// printable ASCII.
func FuzzParseFormat(f *testing.F) {
	for _, s := range []string{`${file}\n`, `\x41\101${key;-3}`, "${", `\`, "${a}${b}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := ParseFormat(s).Expand(map[string]string{"file": s})
		if !strings.ContainsAny(s, `\$`) && out != s {
			t.Fatalf("plain %q expanded to %q", s, out)
		}
		esc := EscapeFormat(s)
		for i := 0; i < len(esc); i++ {
			if esc[i] < 0x21 || esc[i] > 0x7e {
				t.Fatalf("EscapeFormat(%q) = %q has byte %#x", s, esc, esc[i])
			}
		}
		if utf8.ValidString(s) && !strings.ContainsAny(s, "\x00") {
			// Decoding the escapes of a valid string gives the code points
			// back for the ASCII and Latin-1 range.
			if back := decodeC(esc); utf8.ValidString(s) && isLatin1(s) && back != s {
				t.Fatalf("decodeC(EscapeFormat(%q)) = %q", s, back)
			}
		}
	})
}

func isLatin1(s string) bool {
	for _, r := range s {
		if r > 0xff {
			return false
		}
	}
	return true
}
