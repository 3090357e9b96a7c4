package annexcli

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestExtractMatching(t *testing.T) {
	args := []string{"get", "--include", "*.txt", "--not", "-x*.bin", "--or", "--largerthan=1MB",
		"-(", "--in=here", "-)", "-J4", "dir", "--", "--not"}
	rest, terms := extractMatching(args)
	wantRest := []string{"get", "-J4", "dir", "--", "--not"}
	if diff := cmp.Diff(wantRest, rest); diff != "" {
		t.Errorf("rest: %s", diff)
	}
	var got []string
	for _, tm := range terms {
		got = append(got, tm.String())
	}
	want := []string{"include=*.txt", "not", "exclude=*.bin", "or", "largerthan=1MB", "(", "in=here", ")"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("terms: %s", diff)
	}
}

func TestExtractMatchingKeepsGlobWithSpaces(t *testing.T) {
	_, terms := extractMatching([]string{"--include", "my photos/*"})
	if len(terms) != 1 || terms[0].Value != "my photos/*" {
		t.Fatalf("terms = %v", terms)
	}
}
