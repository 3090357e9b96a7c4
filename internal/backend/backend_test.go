package backend

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHashFileSHA256E(t *testing.T) {
	p := filepath.Join(t.TempDir(), "hello.txt")
	if err := os.WriteFile(p, []byte("hello world\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := HashFile(context.Background(), p, Default(), DefaultMaxExtensionLength)
	if err != nil {
		t.Fatal(err)
	}
	// Captured from git-annex 10.20230126 (internals §1.1).
	want := "SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt"
	if diff := cmp.Diff(want, k.String()); diff != "" {
		t.Errorf("key (-want +got):\n%s", diff)
	}
}
