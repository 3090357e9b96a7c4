package annexcli

import "testing"

// The descriptions git-annex 10.20230126 shows in `info here` after
// `git annex describe here DESC` (captured from the real git-annex).
func TestInfoDescription(t *testing.T) {
	for _, c := range []struct {
		label string
		here  bool
		want  string
	}{
		{"", true, "[here]"},
		{"here", true, "[here]"},
		{"[here]", true, "[here] [here]"},
		{"foo bar", true, "foo bar [here]"},
		{"origin", false, "origin"},
		{"here", false, "here"},
		{"", false, ""},
	} {
		if got := infoDescription(c.label, c.here); got != c.want {
			t.Errorf("infoDescription(%q, %v) = %q, want %q", c.label, c.here, got, c.want)
		}
	}
}
