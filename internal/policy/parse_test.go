package policy

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type largeCase struct {
	expr string
	path string
	size int64
	want bool
}

// Expected results obtained from git-annex 10.20230126 with
// `git annex matchexpression --largefiles EXPR --file=PATH --size=SIZE`
// (exit 0 = match).
var largeFilesGolden = []largeCase{
	{"include=*.txt or include=*.bin and largerthan=1kb", "x.txt", 10, false},
	{"include=*.txt", "sub/dir/x.txt", 1, true},
	{"include=a/b", "a//b", 1, true},
	{`include=a\b`, `a\b`, 1, true},
	{`include=a\*`, "a*", 1, false},
	{`include=a\*`, `a\x`, 1, true},
	{"include=[]a]", "]", 1, true},
	{"include=[]a]", "a", 1, true},
	{"include=[]a]", `\`, 1, true},
	{"include=[!a]", "b", 1, true},
	{"", "a", 1, true},
	{"not", "a", 1, false},
	{"and", "a", 1, true},
	{"( include=a", "a", 1, true},
	{") include=a )", "a", 1, true},
	{"largerthan=1.5kb", "a", 1501, true},
	{"largerthan=1.5kb", "a", 1500, false},
	{"smallerthan=1kbit", "a", 124, true},
	{"smallerthan=1kbit", "a", 125, false},
	{"largerthan=1KiB", "a", 1025, true},
	{"largerthan=1KiB", "a", 1024, false},
	{"largerthan=-1", "a", 0, true},
	{"largerthan=1kb2", "a", 1001, true},
	{"largerthan=1m", "a", 1001, false},
	{"anything nothing", "a", 1, false},
}

func TestLargeFilesGolden(t *testing.T) {
	for _, tc := range largeFilesGolden {
		x, err := LargeFiles(tc.expr)
		if err != nil {
			t.Errorf("LargeFiles(%q): %v", tc.expr, err)
			continue
		}
		got, err := x.Match(context.Background(), nil, sized(tc.path, tc.size))
		if err != nil || got != tc.want {
			t.Errorf("%q on %s (%d bytes) = %v, %v; want %v", tc.expr, tc.path, tc.size, got, err, tc.want)
		}
	}
}

func TestParseErrorsAsGitAnnex(t *testing.T) {
	for _, tc := range []struct {
		mode Mode
		expr string
		want string // git-annex's message after "bad expression: "
	}{
		{LargeFilesMode, "foo", `Parse failure: near "foo"`},
		{LargeFilesMode, "largerthan=xx", "Parse failure: bad size"},
		{LargeFilesMode, "present", `Parse failure: near "present"`},
		{LargeFilesMode, "foo bar", `Parse failure: near "foo" Parse failure: near "bar"`},
		{PreferredMode, "locked", `Parse failure: near "locked"`},
		{PreferredMode, "copies=x", "Parse failure: bad number for copies"},
		{PreferredMode, "copies=a:b:c", "Parse failure: bad value for copies"},
		{PreferredMode, "lackingcopies=x", "Parse failure: bad value for number of lacking copies"},
		{PreferredMode, "metadata=", `Parse failure: Illegal metadata field name, ""`},
		{PreferredMode, "metadata=-x=1", `Parse failure: Illegal metadata field name, "-x"`},
	} {
		_, err := Parse(tc.mode, tc.expr, ParseOptions{})
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) error = %v, want *ParseError", tc.expr, err)
			continue
		}
		if got := pe.GitAnnexMessage(); got != tc.want {
			t.Errorf("Parse(%q) message = %q, want %q", tc.expr, got, tc.want)
		}
		if pe.Problems[0].Token == "" {
			t.Errorf("Parse(%q): problem does not name its token", tc.expr)
		}
	}
}

func TestMimeRequiresOption(t *testing.T) {
	if _, err := LargeFiles("mimetype=text/*"); err == nil {
		t.Fatal("mimetype= accepted without ParseOptions.Mime")
	}
	x, err := Parse(LargeFilesMode, "mimetype=text/*", ParseOptions{Mime: true})
	if err != nil {
		t.Fatal(err)
	}
	ok, _ := x.Match(context.Background(), nil, mimeFile{file: sized("a", 1), mime: "text/plain"})
	if !ok {
		t.Error("mimetype=text/* did not match text/plain")
	}
}

type mimeFile struct {
	file
	mime string
}

func (m mimeFile) MimeType() (string, bool)     { return m.mime, true }
func (m mimeFile) MimeEncoding() (string, bool) { return "", false }

func TestGlobCompileErrorNamesRegex(t *testing.T) {
	_, err := LargeFiles("include=[abc")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Problems[0].Msg != "failed to compile regex: ^[abc$" {
		t.Errorf("err = %v", err)
	}
}

func TestTokenize(t *testing.T) {
	got := tokenize(" a(b or\tc))not(d ")
	want := []string{"a", "(", "b", "or", "c", ")", ")", "not", "(", "d"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}

// TestGroupQuirk pins git-annex's grouping: implicit "and" is only inserted
// at the top level, so inside parentheses "a (b or c)" means
// "(a and b) or c".
func TestGroupQuirk(t *testing.T) {
	x, err := LargeFiles("( nothing ( anything or anything ) )")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := x.Match(context.Background(), nil, sized("a", 1)); !got {
		t.Error("inner group did not parse as (nothing and anything) or anything")
	}
	top, _ := LargeFiles("nothing ( anything or anything )")
	if got, _ := top.Match(context.Background(), nil, sized("a", 1)); got {
		t.Error("top-level implicit and missing")
	}
}

func TestUnknownSize(t *testing.T) {
	ctx := context.Background()
	small, _ := LargeFiles("smallerthan=1")
	large, _ := LargeFiles("largerthan=1")
	if ok, _ := small.Match(ctx, nil, file{path: "a"}); !ok {
		t.Error("smallerthan with unknown size should match (Nothing < Just n)")
	}
	if ok, _ := large.Match(ctx, nil, file{path: "a"}); ok {
		t.Error("largerthan with unknown size should not match")
	}
}

func FuzzParse(f *testing.F) {
	for _, tc := range largeFilesGolden {
		f.Add(tc.expr, tc.path, tc.size, uint8(0))
	}
	for _, g := range StandardGroups {
		f.Add(g.Expr, "archive/x", int64(5), uint8(1))
	}
	f.Add("not not ( copies=trusted+:1 metadata=a>=3 ) or (", "p/public/x", int64(0), uint8(1))
	f.Fuzz(func(t *testing.T, expr, path string, size int64, mode uint8) {
		m := Mode(mode % 2)
		x, err := Parse(m, expr, ParseOptions{})
		if err != nil {
			return
		}
		y, err := Parse(m, x.String(), ParseOptions{})
		if err != nil {
			t.Fatalf("re-parse of %q (from %q): %v", x.String(), expr, err)
		}
		env := testEnv()
		for _, s := range []Subject{sized(path, size), file{path: path, key: &keyA}, file{key: &keyB}} {
			a, _ := x.Match(context.Background(), env, s)
			b, _ := y.Match(context.Background(), env, s)
			if a != b {
				t.Fatalf("%q = %v but String() %q = %v", expr, a, x.String(), b)
			}
		}
	})
}
