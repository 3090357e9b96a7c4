package annex

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestKnownRepoLabels: the labels git-annex 10.20230126 printed in
// whereis for each combination (captured by follow_labels.txtar's setup).
func TestKnownRepoLabels(t *testing.T) {
	const u = "0c000000-0000-4000-8000-000000000001"
	for _, c := range []struct {
		name       string
		repo       KnownRepo
		label, hrl string
		line       string
	}{
		{"desc equals remote", KnownRepo{UUID: u, Description: "same", Described: true, RemoteName: "same"}, "[same]", "[same]", u + " -- [same]"},
		{"desc differs", KnownRepo{UUID: u, Description: "other desc", Described: true, RemoteName: "diff"}, "other desc [diff]", "other desc [diff]", u + " -- other desc [diff]"},
		{"empty desc", KnownRepo{UUID: u, Described: true, RemoteName: "empty"}, "[empty]", "[empty]", u + " -- [empty]"},
		{"no uuid.log entry", KnownRepo{UUID: u, RemoteName: "bare"}, "bare", "bare", u + " -- bare"},
		{"no remote", KnownRepo{UUID: u, Description: "lonely desc", Described: true}, "lonely desc", "lonely desc", u + " -- lonely desc"},
		{"nothing known", KnownRepo{UUID: u}, "", "", u},
		{"here", KnownRepo{UUID: u, Description: "main", Described: true, Here: true}, "main", "main [here]", u + " -- main [here]"},
		{"here described here", KnownRepo{UUID: u, Description: "here", Described: true, Here: true}, "here", "[here]", u + " -- [here]"},
		{"here undescribed", KnownRepo{UUID: u, Described: true, Here: true}, "", "here", u + " -- here"},
		{"here also a remote", KnownRepo{UUID: u, Description: "main", Described: true, RemoteName: "self", Here: true}, "main [self]", "main [self] [here]", u + " -- main [self] [here]"},
	} {
		got := []string{c.repo.Label(), c.repo.HereLabel(), c.repo.Line()}
		if diff := cmp.Diff([]string{c.label, c.hrl, c.line}, got); diff != "" {
			t.Errorf("%s: Label, HereLabel, Line (-want +got):\n%s", c.name, diff)
		}
		cp := Copy{UUID: c.repo.UUID, Description: c.repo.Label(), Here: c.repo.Here}
		if cp.Line() != c.line {
			t.Errorf("%s: Copy.Line = %q, want %q", c.name, cp.Line(), c.line)
		}
	}
}
