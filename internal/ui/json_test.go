package ui

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestAppendJSONStringEscapes(t *testing.T) {
	// Expectations from `git annex add --json` (see testdata/add-json.out)
	// and aeson's escaping rules.
	for in, want := range map[string]string{
		`qu"ote`:          `"qu\"ote"`,
		`back\slash`:      `"back\\slash"`,
		"ta\tb":           `"ta\tb"`,
		"x7\b\f\r\n":      `"x7\u0008\u000c\r\n"`,
		"ctl\x01\x1f\x7f": "\"ctl\\u0001\\u001f\x7f\"",
		"<a>&b":           `"<a>&b"`,
		"ls\u2028":        "\"ls\u2028\"",
		"bad\xff\xfe":     "\"bad\uFFFD\uFFFD\"",
		"x3\xed\xa0\x80":  "\"x3\uFFFD\uFFFD\uFFFD\"",
		"real\uFFFD":      "\"real\uFFFD\"",
		"":                `""`,
	} {
		if got := string(appendJSONString(nil, in)); got != want {
			t.Errorf("appendJSONString(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestAppendJSONSortsKeysAndRejectsUnknownTypes(t *testing.T) {
	got, err := appendJSON(nil, Object{"z": 1, "a": []any{true, nil, "s"}, "m": Object{"b": int64(-2), "a": []Object{}}, "r": RawJSON(`{"x":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"a":[true,null,"s"],"m":{"a":[],"b":-2},"r":{"x":1},"z":1}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, err := appendJSON(nil, Object{"f": 1.5}); err == nil {
		t.Error("float accepted")
	}
}

// replaceInvalid turns each byte that is not part of valid UTF-8 into U+FFFD.
func replaceInvalid(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r)
		i += n
	}
	return b.String()
}

// FuzzJSONString checks the encoder against encoding/json's decoder: the
// output is valid JSON and UTF-8, decodes to the input with undecodable
// bytes replaced one by one, and never contains raw control characters.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "qu\"o\\te", "\x00\x1f\x7f", "é日本😀", "\xff\xe2\x80", "\u2028\u2029"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := appendJSONString(nil, s)
		if !utf8.Valid(enc) {
			t.Fatalf("encoding of %q is not UTF-8: %q", s, enc)
		}
		if bytes.ContainsFunc(enc, func(r rune) bool { return r < 0x20 }) {
			t.Fatalf("raw control character in %q", enc)
		}
		var dec string
		if err := json.Unmarshal(enc, &dec); err != nil {
			t.Fatalf("decoding %q: %v", enc, err)
		}
		if want := replaceInvalid(s); dec != want {
			t.Fatalf("round trip of %q gave %q, want %q", s, dec, want)
		}
	})
}

func TestPercent(t *testing.T) {
	for _, tc := range []struct {
		done, total int64
		want        string
	}{
		{32752, 30000000, "0.11%"}, // captured: git annex copy --json-progress
		{3000, 3000, "100%"},       // captured
		{1, 3, "33.33%"},
		{2, 3, "66.67%"},
		{1, 8, "12.5%"},
		{99999, 100000, "100%"}, // 99.999 rounds up and carries
		{1, 200000, "0%"},
		{0, 0, "0%"},
	} {
		if got := percent(tc.done, tc.total); got != tc.want {
			t.Errorf("percent(%d, %d) = %s, want %s", tc.done, tc.total, got, tc.want)
		}
	}
}

func TestJSONProgressRecords(t *testing.T) {
	var stdout, stderr bytes.Buffer
	o := NewOutput(NewAnnexJSON(&stdout, &stderr, true, false), nil)
	a := Action{Command: "copy", File: "huge.bin", Input: []string{"huge.bin"},
		Key: "SHA256E-s30000000--62f44d4f139094d139324ff0e7cc77697b8d24a7ed446c6c64998422d08a2e0e.bin"}
	task := o.Begin(a)
	task.Note("to dr...")
	task.SetTotal(30000000)
	task.Add(32752)
	task.counter.Flush() // what the throttle would let through after a while
	task.Add(30000000 - 32752)
	task.End(true, nil)
	must(t, o.Close())
	// Captured from `git annex copy --to dr --json-progress huge.bin`.
	want := `{"action":{"command":"copy","file":"huge.bin","input":["huge.bin"],"key":"SHA256E-s30000000--62f44d4f139094d139324ff0e7cc77697b8d24a7ed446c6c64998422d08a2e0e.bin","note":"to dr..."},"byte-progress":32752,"percent-progress":"0.11%","total-size":30000000}
{"action":{"command":"copy","file":"huge.bin","input":["huge.bin"],"key":"SHA256E-s30000000--62f44d4f139094d139324ff0e7cc77697b8d24a7ed446c6c64998422d08a2e0e.bin","note":"to dr..."},"byte-progress":30000000,"percent-progress":"100%","total-size":30000000}
{"command":"copy","error-messages":[],"file":"huge.bin","input":["huge.bin"],"key":"SHA256E-s30000000--62f44d4f139094d139324ff0e7cc77697b8d24a7ed446c6c64998422d08a2e0e.bin","note":"to dr...","success":true}
`
	if diff := cmp.Diff(want, stdout.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr: %q", stderr.String())
	}
}

const cannotRun = "Cannot run git-annex-remote-testext -- It is not installed in PATH (/usr/bin:/bin)"

func getWithWarnings(o *Output) {
	t := o.Begin(Action{Command: "get", File: "big", Input: []string{"big"}, Key: "SHA256E-s3000--e1630f843370f402870799e14abbf2b06af2d23b0153658e1211dffabc61ad8f"})
	t.Warn(cannotRun)
	t.Note("from te...")
	t.AddNote(Note{Text: "Unable to access these remotes: te", Long: true})
	t.End(false, Object{"wanted": []Object{}})
}

// Warnings observed with an external remote whose program is missing:
// indented on stderr, or collected with --json-error-messages.
func TestWarnings(t *testing.T) {
	key := `"key":"SHA256E-s3000--e1630f843370f402870799e14abbf2b06af2d23b0153658e1211dffabc61ad8f"`
	for _, tc := range []struct {
		name           string
		r              func(stdout, stderr *bytes.Buffer) Renderer
		stdout, stderr string
	}{
		{"json", func(o, e *bytes.Buffer) Renderer { return NewAnnexJSON(o, e, false, false) },
			`{"command":"get","error-messages":[],"file":"big","input":["big"],` + key + `,"note":"from te...\nUnable to access these remotes: te","success":false,"wanted":[]}` + "\n",
			"  " + cannotRun + "\nget: 1 failed\n"},
		{"json-error-messages", func(o, e *bytes.Buffer) Renderer { return NewAnnexJSON(o, e, false, true) },
			`{"command":"get","error-messages":["  ` + cannotRun + `"],"file":"big","input":["big"],` + key + `,"note":"from te...\nUnable to access these remotes: te","success":false,"wanted":[]}` + "\n",
			"get: 1 failed\n"},
		{"human", func(o, e *bytes.Buffer) Renderer { return NewAnnexHuman(o, e, false, nil) },
			"get big \n(from te...) \n  Unable to access these remotes: te\nfailed\n",
			"  " + cannotRun + "\nget: 1 failed\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			o := NewOutput(tc.r(&stdout, &stderr), nil)
			getWithWarnings(o)
			must(t, o.Close())
			if diff := cmp.Diff(tc.stdout, stdout.String()); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.stderr, stderr.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
