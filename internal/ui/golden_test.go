package ui

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The golden files in testdata were written by the real git-annex; see
// testdata/capture.sh. Each test replays the same events through our
// renderers and compares stdout and stderr byte for byte.

func readGolden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func compareStreams(t *testing.T, golden string, stdout, stderr *bytes.Buffer) {
	t.Helper()
	if diff := cmp.Diff(readGolden(t, golden+".out"), stdout.String()); diff != "" {
		t.Errorf("%s stdout (-git-annex +ours):\n%s", golden, diff)
	}
	if diff := cmp.Diff(readGolden(t, golden+".err"), stderr.String()); diff != "" {
		t.Errorf("%s stderr (-git-annex +ours):\n%s", golden, diff)
	}
}

// TestGoldenAddJSONAwkwardNames checks the JSON string encoding of file
// names with spaces, quotes, tabs, control characters, non-ASCII and
// invalid UTF-8 against `git annex add --json`.
func TestGoldenAddJSONAwkwardNames(t *testing.T) {
	names := strings.Split(strings.TrimSuffix(readGolden(t, "add-json.names"), "\x00"), "\x00")
	lines := strings.Split(strings.TrimSuffix(readGolden(t, "add-json.out"), "\n"), "\n")
	if len(names) != len(lines) {
		t.Fatalf("%d names but %d output lines", len(names), len(lines))
	}
	var stdout, stderr bytes.Buffer
	o := NewOutput(NewAnnexJSON(&stdout, &stderr, false, false), nil)
	for i, name := range names {
		var rec struct{ Key string }
		if err := json.Unmarshal([]byte(lines[i]), &rec); err != nil {
			t.Fatal(err)
		}
		o.Begin(Action{Command: "add", File: name, Input: []string{name}, Key: rec.Key}).End(true, nil)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	compareStreams(t, "add-json", &stdout, &stderr)
}

func dropUnsafe(o *Output) {
	t := o.Begin(Action{Command: "drop", File: "sp ace.txt", Input: []string{"sp ace.txt"},
		Key: "SHA256E-s1--ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb.txt"})
	t.Note("unsafe")
	t.AddNote(Note{Text: "Could only verify the existence of 0 out of 1 necessary copy", Long: true})
	t.AddNote(Note{Text: "Rather than dropping this file, try using: git annex move", Long: true, HumanOnly: true})
	t.AddNote(Note{Text: "(Use --force to override this check, or adjust numcopies.)", Long: true})
	t.End(false, Object{"wanted": []Object{}})
}

func getKey(o *Output) {
	t := o.Begin(Action{Command: "get", Key: "SHA256E-s99--0000000000000000000000000000000000000000000000000000000000000000"})
	t.Note("not available")
	t.AddNote(Note{Text: "No other repository is known to contain the file.", Long: true, HumanOnly: true})
	t.End(false, Object{"wanted": []Object{}})
}

func addSmall(o *Output) {
	for _, f := range []string{"small1.txt", "small2.txt"} {
		t := o.Begin(Action{Command: "add", File: f, Input: []string{f}})
		t.Note("non-large file; adding content to git repository")
		t.End(true, nil)
	}
	o.SideAction("recording state in git")
}

func TestGoldenAnnexOutputs(t *testing.T) {
	human := func(quiet bool) func(stdout, stderr *bytes.Buffer) Renderer {
		return func(stdout, stderr *bytes.Buffer) Renderer { return NewAnnexHuman(stdout, stderr, quiet, nil) }
	}
	jsonR := func(errMsgs bool) func(stdout, stderr *bytes.Buffer) Renderer {
		return func(stdout, stderr *bytes.Buffer) Renderer { return NewAnnexJSON(stdout, stderr, false, errMsgs) }
	}
	for _, tc := range []struct {
		golden   string
		renderer func(stdout, stderr *bytes.Buffer) Renderer
		events   func(*Output)
	}{
		{"drop-unsafe", human(false), dropUnsafe},
		{"drop-unsafe-quiet", human(true), dropUnsafe},
		{"drop-unsafe-json", jsonR(true), dropUnsafe},
		{"get-key", human(false), getKey},
		{"get-key-json", jsonR(false), getKey},
		{"add-small", human(false), addSmall},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			o := NewOutput(tc.renderer(&stdout, &stderr), nil)
			tc.events(o)
			if err := o.Close(); err != nil {
				t.Fatal(err)
			}
			compareStreams(t, tc.golden, &stdout, &stderr)
		})
	}
}
