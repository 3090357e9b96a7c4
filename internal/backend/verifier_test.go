package backend

import (
	"errors"
	"strings"
	"testing"

	"github.com/troveproject/trove/internal/key"
)

func mustParse(t *testing.T, s string) key.Key {
	t.Helper()
	k, err := key.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestVerifier(t *testing.T) {
	const good = "SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt"
	content := "hello world\n"
	tests := []struct {
		key     string
		content string
		wantErr string // substring of the error; "" for success
	}{
		{good, content, ""},
		{"SHA256-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447", content, ""},
		{"SHA256E--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt", content, ""},
		{`SHA256E-s12--\a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt`, content, ""},
		{"SHA1-s5--aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d", "hello", ""},
		{"MD5-s5--5d41402abc4b2a76b9719d911017c592", "hello", ""},
		{good, "hello world!", "expected digest a948904f"},
		{good, "hello world", "expected size 12, got 11"},
		{"SHA256E--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt", "hello", "expected digest"},
	}
	for _, tt := range tests {
		v, err := NewVerifier(mustParse(t, tt.key))
		if err != nil {
			t.Fatalf("NewVerifier(%s): %v", tt.key, err)
		}
		// Write in two pieces to check that writes accumulate.
		v.Write([]byte(tt.content[:3]))
		v.Write([]byte(tt.content[3:]))
		err = v.Verify()
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: Verify() = %v", tt.key, err)
		case tt.wantErr != "" && (!errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s on %q: Verify() = %v, want ErrMismatch containing %q", tt.key, tt.content, err, tt.wantErr)
		}
	}
}

func TestVerifierGolden(t *testing.T) {
	for _, g := range readGolden(t) {
		v, err := NewVerifier(g)
		if err != nil {
			t.Fatalf("NewVerifier(%s): %v", g, err)
		}
		v.Write(goldenInput(g.Size))
		if err := v.Verify(); err != nil {
			t.Errorf("Verify: %v", err)
		}
	}
}

func TestNewVerifierNotVerifiable(t *testing.T) {
	for _, s := range []string{
		"WORM-s5-m1700000000--w/x",
		"URL--http://example.com/",
		"XFOO-s5--abc",
		"GPGHMACSHA1--a11297f06a14bdbbce62ec8264083eb43506f795",
		"SHA256E-s12-S5-C1--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt",
	} {
		if _, err := NewVerifier(mustParse(t, s)); !errors.Is(err, ErrNotVerifiable) {
			t.Errorf("NewVerifier(%s) = %v, want ErrNotVerifiable", s, err)
		}
	}
}
