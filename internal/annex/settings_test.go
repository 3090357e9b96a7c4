package annex

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The messages are git-annex 10.20230126's for `numcopies VALUE`.
func TestParseCopies(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr string
	}{
		{in: "2", want: 2},
		{in: "007", want: 7},
		{in: "0x10", want: 16},
		{in: "1x", want: 1},
		{in: " 3", want: 3},
		{in: "0", wantErr: "Cannot set numcopies to 0."},
		{in: "-2", wantErr: "numcopies cannot be negative!"},
		{in: "abc", wantErr: "Bad number: abc"},
		{in: "1.5", wantErr: "Bad number: 1.5"},
		{in: "1e3", wantErr: "Bad number: 1e3"},
		{in: "+2", wantErr: "Bad number: +2"},
		{in: "", wantErr: "Bad number: "},
	}
	for _, tt := range tests {
		got, err := ParseCopies(NumCopiesSetting, tt.in)
		if tt.wantErr != "" {
			var ce *CopiesValueError
			if !errors.As(err, &ce) || err.Error() != tt.wantErr {
				t.Errorf("ParseCopies(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseCopies(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func FuzzParseCopies(f *testing.F) {
	for _, s := range []string{"1", "0", "-1", "0x1f", "1.5", "abc", " 2 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseCopies(MinCopiesSetting, s)
		if err == nil && n <= 0 {
			t.Fatalf("ParseCopies(%q) accepted %d", s, n)
		}
		if err != nil && err.Error() == "" {
			t.Fatalf("ParseCopies(%q): empty error", s)
		}
	})
}

func TestNotGlobalConfigErrorNamesAllowed(t *testing.T) {
	err := checkGlobalConfig("annex.foo")
	var ng *NotGlobalConfigError
	if !errors.As(err, &ng) || ng.Name != "annex.foo" {
		t.Fatalf("checkGlobalConfig(annex.foo) = %v", err)
	}
	for _, n := range GlobalConfigNames {
		if checkGlobalConfig(n) != nil {
			t.Errorf("%s refused", n)
		}
	}
	if diff := cmp.Diff(8, len(GlobalConfigNames)); diff != "" {
		t.Errorf("allowed settings (-want +got):\n%s", diff)
	}
}

// The warnings are git-annex's (Command/Fsck.hs missingNote).
func TestMissingNote(t *testing.T) {
	tests := []struct {
		present, needed int
		untrusted, dead string
		want            string
	}{
		{0, 1, "", "", "** No known copies exist of a.txt"},
		{1, 2, "", "", "Only 1 of 2 trustworthy copies exist of a.txt\nBack it up with git-annex copy."},
		{0, 1, "\tU -- r\n", "", "Only these untrusted locations may have copies of a.txt\n\tU -- r\nBack it up to trusted locations with git-annex copy."},
		{0, 1, "", "\tD -- d\n", "** No known copies exist of a.txt\nThese dead repositories used to have copies\n\tD -- d\n"},
		{1, 3, "\tU -- r\n", "", "Only 1 of 3 trustworthy copies exist of a.txt\nBack it up with git-annex copy.\nThe following untrusted locations may also have copies: \n\tU -- r\n"},
	}
	for _, tt := range tests {
		got := missingNote("a.txt", tt.present, tt.needed, tt.untrusted, tt.dead)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("missingNote(%d,%d) (-want +got):\n%s", tt.present, tt.needed, diff)
		}
	}
}
