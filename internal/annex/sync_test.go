package annex

import (
	"testing"

	"github.com/troveproject/trove/internal/key"
)

// TestVariantFile checks names against git-annex 10.20230126, which
// resolved a conflict on f.txt into f.variant-0799.txt for this key.
func TestVariantFile(t *testing.T) {
	k, err := key.Parse("SHA256E-s3--1b35060c33bd673408add98a1e47d4b5e7916e529207c38100b39af08358444f.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, want string }{
		{"f.txt", "f.variant-0799.txt"},
		{"dir/sub/f.txt", "dir/sub/f.variant-0799.txt"},
		{"noext", "noext.variant-0799"},
		{"a.tar.gz", "a.tar.variant-0799.gz"},
		{"f.variant-1234.txt", "f.variant-1234.variant-" + k.File() + ".txt"},
	} {
		if got := VariantFile(tc.file, k); got != tc.want {
			t.Errorf("VariantFile(%q) = %q, want %q", tc.file, got, tc.want)
		}
	}
}

func TestToggleAndGitBool(t *testing.T) {
	if !ToggleDefault.resolve(true) || ToggleDefault.resolve(false) || !ToggleOn.resolve(false) || ToggleOff.resolve(true) {
		t.Error("Toggle.resolve does not follow the option, then the default")
	}
	for v, want := range map[string]bool{"true": true, "yes": true, "on": true, "1": true, "": true, "false": false, "No": false, "off": false, "0": false, "2": true} {
		if got := parseGitBool(v, !want); got != want {
			t.Errorf("parseGitBool(%q) = %v, want %v", v, got, want)
		}
	}
	if !parseGitBool("maybe", true) || parseGitBool("maybe", false) {
		t.Error("parseGitBool of a non-boolean should give the default")
	}
}

func FuzzParseGitBool(f *testing.F) {
	for _, s := range []string{"true", "false", "0", "12", " yes ", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if parseGitBool(s, true) != parseGitBool(s, false) {
			// Only values git does not read as booleans may depend on the default.
			switch s {
			case "true", "yes", "on", "1", "", "false", "no", "off", "0":
				t.Errorf("parseGitBool(%q) depends on the default", s)
			}
		}
	})
}
