package uuid

import (
	"regexp"
	"testing"
)

var v4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestNewIsLowerCaseV4(t *testing.T) {
	seen := map[UUID]bool{}
	for range 100 {
		u := New()
		if !v4.MatchString(string(u)) {
			t.Fatalf("New() = %q, not a lower-case version-4 UUID", u)
		}
		if seen[u] {
			t.Fatalf("New() repeated %q", u)
		}
		seen[u] = true
	}
}
