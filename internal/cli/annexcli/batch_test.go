package annexcli

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/cli/invocation"
)

// batchItems runs each over input for command and returns the items fn
// saw, what was written to stdout, and each's error.
func batchItems(t *testing.T, command, input string, nul bool) ([]string, string, error) {
	t.Helper()
	var out bytes.Buffer
	g := invocation.New(invocation.FaceAnnex, invocation.Stdio{In: strings.NewReader(input), Out: &out, Err: &out})
	var got []string
	err := batchOptions{enabled: true, nul: nul, command: command}.each(g, func(line string) error {
		got = append(got, line)
		return nil
	})
	return got, out.String(), err
}

// Items as git-annex 10.20230126 splits them (lookupkey --batch [-z]
// answers one line per item, an empty line for an empty one).
func TestBatchEachSplitsAsGitAnnex(t *testing.T) {
	for _, c := range []struct {
		name  string
		input string
		nul   bool
		want  []string
	}{
		{"nul trailing", "f1\x00", true, []string{"f1", ""}},
		{"nul two", "f1\x00f2", true, []string{"f1", "f2"}},
		{"nul empty input", "", true, []string{""}},
		{"nul only separator", "\x00", true, []string{"", ""}},
		{"nul keeps newlines", "a\nb\x00", true, []string{"a\nb", ""}},
		{"lines trailing newline", "f1\n", false, []string{"f1"}},
		{"lines empty line", "f1\n\n", false, []string{"f1", ""}},
		{"lines no final newline", "f1\nf2", false, []string{"f1", "f2"}},
		{"lines empty input", "", false, nil},
		{"lines crlf", "f1\r\n", false, []string{"f1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, _, err := batchItems(t, "lookupkey", c.input, c.nul)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
		})
	}
}

// find and add answer an empty item with an empty line, never with the
// whole work tree; fromkey fails on it as git-annex does.
func TestBatchEmptyItemAnswers(t *testing.T) {
	for _, cmd := range []string{"find", "add"} {
		got, out, err := batchItems(t, cmd, "f1\x00", true)
		if err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		if diff := cmp.Diff([]string{"f1"}, got); diff != "" {
			t.Errorf("%s: items (-want +got):\n%s", cmd, diff)
		}
		if out != "\n" {
			t.Errorf("%s: output %q, want one empty line", cmd, out)
		}
	}
	got, _, err := batchItems(t, "fromkey", "K f\n\nK2 g\n", false)
	if diff := cmp.Diff([]string{"K f"}, got); diff != "" {
		t.Errorf("fromkey: items (-want +got):\n%s", diff)
	}
	var ee invocation.ExitCoder
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || ee.Error() != "git-annex: Batch input parse failure: Expected pairs of key and filename" {
		t.Errorf("fromkey: error %v, want git-annex's parse failure", err)
	}
}

func FuzzEachNulItem(f *testing.F) {
	f.Add("f1\x00f2\x00")
	f.Add("")
	f.Fuzz(func(t *testing.T, input string) {
		var got []string
		if err := eachNulItem(strings.NewReader(input), func(s string) error {
			got = append(got, s)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if want := strings.Split(input, "\x00"); !cmp.Equal(want, got) {
			t.Fatalf("items %q, want %q", got, want)
		}
	})
}
