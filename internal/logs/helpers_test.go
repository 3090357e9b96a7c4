package logs

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/troveproject/trove/internal/key"
)

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustKey(t *testing.T, s string) key.Key {
	t.Helper()
	k, err := key.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// validUTF8NoSurrogates reports whether s round-trips through runes.
func validUTF8NoSurrogates(s string) bool { return utf8.ValidString(s) }
