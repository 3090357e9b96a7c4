package annexcli

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/annex"
)

// TestParseMetadataRequestErrors checks the messages captured from
// git-annex 10.20230126's `metadata --batch --json` (after "Batch input
// parse failure: ").
func TestParseMetadataRequestErrors(t *testing.T) {
	for in, want := range map[string]string{
		"":                                   "Error in $: not enough input",
		"xx":                                 "Error in $: Failed reading: not a valid json value at 'xx'",
		"hello world":                        "Error in $: Failed reading: not a valid json value at 'helloworld'",
		"{bad}":                              "Error in $: Failed reading: satisfy. Expecting object key at 'bad}'",
		`{"file":}`:                          "Error in $: Failed reading: not a valid json value. Expecting object value at '}'",
		"[":                                  "Error in $: not enough input",
		`{"file"`:                            "Error in $: not enough input. Expecting ':'",
		`{"file":"a"}}`:                      "Error in $: endOfInput at '}'",
		`{"file":"a"} {"file":"b"}`:          "Error in $: endOfInput at '{file:b}'",
		`{"file":"a"`:                        "Error in $: not enough input. Expecting ',' or '}'",
		`{"fields":{"t" 1}}`:                 "Error in $: Failed reading: satisfyWith. Expecting object value at '1}}'",
		`{"file":"a`:                         "Error in $: Failed reading: string without end. Expecting object value",
		`["x" 1]`:                            "Error in $: Failed reading: satisfy. Expecting ',' or ']' at '1]'",
		"[1,":                                "Error in $: not enough input. Expecting json list value",
		`{"file":tru}`:                       "Error in $: string. Expecting object value at 'tru}'",
		"nul":                                "Error in $: not enough input at 'nul'",
		"true":                               "Error in $: mempty",
		`{"key":"notakey"}`:                  "Error in $: mempty",
		`{"file":"a","key":5}`:               "Error in $: mempty",
		`{"file":1}`:                         "Error in $.file: expected String, but encountered Number",
		`{"file":["a"]}`:                     "Error in $.file: expected String, but encountered Array",
		`{"file":"a","fields":5}`:            "Error in $.fields: expected an object",
		`{"file":"a","fields":{"t":"x"}}`:    "Error in $.fields: parsing [] failed, expected Array, but encountered String",
		`{"file":"a","fields":{"t":[null]}}`: "Error in $.fields[0]: expected a string",
		`{"file":"a","fields":{"a b":[1]}}`:  `Error in $.fields: Illegal metadata field name, "a b"`,
		`{"file":"a","fields":{"z":[1],"a b":[]}}`: "Error in $.fields[0]: expected a string",
		`{"fields":{"t":["x"]}}`:                   "JSON input is missing either file or key",
		`{"file":null}`:                            "JSON input is missing either file or key",
	} {
		if _, got := parseMetadataRequest(in); got != want {
			t.Errorf("parseMetadataRequest(%q) error = %q, want %q", in, got, want)
		}
	}
}

func TestParseMetadataRequest(t *testing.T) {
	req, bad := parseMetadataRequest(` {"file":"a","file":"b","key":null,"fields":{"t":["x","y"],"gone":[]}} `)
	if bad != "" {
		t.Fatal(bad)
	}
	want := []annex.MetaChange{{Op: annex.MetaSet, Field: "t", Values: []string{"x", "y"}}, {Op: annex.MetaSet, Field: "gone"}}
	if req.file != "a" || req.hasKey {
		t.Errorf("file %q hasKey %v, want the first file and no key", req.file, req.hasKey)
	}
	if diff := cmp.Diff(want, req.changes); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

// FuzzParseAesonJSON checks the parser against encoding/json: what it
// accepts is valid JSON, valid UTF-8 JSON without numbers (whose syntax
// it scans loosely) it accepts, and strings decode the same.
func FuzzParseAesonJSON(f *testing.F) {
	for _, s := range []string{`{"file":"a","fields":{"t":["x","\u00e9\n"]}}`, `[1,2]`, `true`, `{"a":`, ` null `, `{"a":"b","a":"c"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, bad := parseAesonJSON(s)
		valid := json.Valid([]byte(s))
		numbers := strings.ContainsAny(s, "-0123456789")
		if bad == "" && !valid && !numbers {
			t.Fatalf("parseAesonJSON(%q) accepted invalid JSON", s)
		}
		if bad != "" && valid && !numbers && utf8.ValidString(s) && !strings.Contains(s, `\u`) {
			t.Fatalf("parseAesonJSON(%q) failed with %q; it is valid JSON", s, bad)
		}
		var std string
		if bad == "" && v.kind == "string" && json.Unmarshal([]byte(s), &std) == nil && utf8.ValidString(s) && !strings.Contains(s, `\u`) && std != v.str {
			t.Fatalf("parseAesonJSON(%q) = %q, encoding/json %q", s, v.str, std)
		}
	})
}

// TestParseModMeta checks the forms of --set, and that the operator's
// character never ends up in the field name.
func TestParseModMeta(t *testing.T) {
	for in, want := range map[string]annex.MetaChange{
		"f=v":    {Op: annex.MetaSet, Field: "f", Values: []string{"v"}},
		"f+=v":   {Op: annex.MetaAdd, Field: "f", Values: []string{"v"}},
		"f-=v":   {Op: annex.MetaDel, Field: "f", Values: []string{"v"}},
		"f?=v":   {Op: annex.MetaMaybeSet, Field: "f", Values: []string{"v"}},
		"f?=":    {Op: annex.MetaMaybeSet, Field: "f", Values: []string{""}},
		"f=a=b":  {Op: annex.MetaSet, Field: "f", Values: []string{"a=b"}},
		"f=?=v":  {Op: annex.MetaSet, Field: "f", Values: []string{"?=v"}},
		"tag+=x": {Op: annex.MetaAdd, Field: "tag", Values: []string{"x"}},
	} {
		got, err := parseModMeta(in)
		if err != nil {
			t.Errorf("parseModMeta(%q): %v", in, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("parseModMeta(%q) (-want +got):\n%s", in, diff)
		}
	}
	for _, in := range []string{"f", "?=v", "=v", "a b=v"} {
		if _, err := parseModMeta(in); err == nil {
			t.Errorf("parseModMeta(%q) succeeded", in)
		}
	}
}
