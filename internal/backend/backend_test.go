package backend

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// versionBackends is the "key/value backends:" line of `git annex version`
// (git-annex 10.20230126) without the trailing X*.
const versionBackends = "SHA256E SHA256 SHA512E SHA512 SHA224E SHA224 SHA384E SHA384 SHA3_256E SHA3_256 " +
	"SHA3_512E SHA3_512 SHA3_224E SHA3_224 SHA3_384E SHA3_384 SKEIN256E SKEIN256 SKEIN512E SKEIN512 " +
	"BLAKE2B256E BLAKE2B256 BLAKE2B512E BLAKE2B512 BLAKE2B160E BLAKE2B160 BLAKE2B224E BLAKE2B224 " +
	"BLAKE2B384E BLAKE2B384 BLAKE2BP512E BLAKE2BP512 BLAKE2S256E BLAKE2S256 BLAKE2S160E BLAKE2S160 " +
	"BLAKE2S224E BLAKE2S224 BLAKE2SP256E BLAKE2SP256 BLAKE2SP224E BLAKE2SP224 SHA1E SHA1 MD5E MD5 WORM URL"

func TestNames(t *testing.T) {
	if diff := cmp.Diff(strings.Fields(versionBackends), Names()); diff != "" {
		t.Errorf("Names() (-want +got):\n%s", diff)
	}
}

func TestLookup(t *testing.T) {
	for _, name := range Names() {
		b, err := Lookup(name)
		if err != nil {
			t.Fatalf("Lookup(%q): %v", name, err)
		}
		if b.Name() != name {
			t.Errorf("Lookup(%q).Name() = %q", name, b.Name())
		}
		if got, want := b.HasExtension(), strings.HasSuffix(name, "E"); got != want {
			t.Errorf("%s: HasExtension() = %v, want %v", name, got, want)
		}
		notHash := name == "WORM" || name == "URL"
		if b.IsHash() == notHash || (b.NewHash() == nil) != notHash {
			t.Errorf("%s: IsHash() = %v, NewHash() nil = %v", name, b.IsHash(), b.NewHash() == nil)
		}
		weak := notHash || strings.HasPrefix(name, "SHA1") || strings.HasPrefix(name, "MD5")
		if b.Cryptographic() == weak {
			t.Errorf("%s: Cryptographic() = %v", name, b.Cryptographic())
		}
		if h := b.NewHash(); h != nil && 2*h.Size() > 128 {
			t.Errorf("%s: digest of %d bytes", name, h.Size())
		}
	}
	if Default().Name() != "SHA256E" {
		t.Errorf("Default() = %s, want SHA256E", Default().Name())
	}
	for _, bad := range []string{"sha256e", "SHA256X", "XFOO", ""} {
		_, err := Lookup(bad)
		if err == nil {
			t.Errorf("Lookup(%q) succeeded", bad)
			continue
		}
		if !strings.Contains(err.Error(), `"`+bad+`"`) || !strings.Contains(err.Error(), "SHA256E") {
			t.Errorf("Lookup(%q) error %q does not name the backend and the valid ones", bad, err)
		}
	}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHashFile(t *testing.T) {
	ctx := context.Background()
	p := writeFile(t, "hello.txt", []byte("hello world\n"))
	// Captured from git-annex 10.20230126 (internals §1.1).
	want := "SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt"
	k, err := HashFile(ctx, p, Default(), DefaultMaxExtensionLength)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, k.String()); diff != "" {
		t.Errorf("key (-want +got):\n%s", diff)
	}

	// The 1 MiB golden input, through the file path, for every hash.
	in := goldenInput(1 << 20)
	p = writeFile(t, "big.tar.gz", in)
	for _, g := range readGolden(t) {
		if g.Size != int64(len(in)) {
			continue
		}
		b, _ := Lookup(g.Variety + "E")
		k, err := HashFile(ctx, p, b, DefaultMaxExtensionLength)
		if err != nil {
			t.Fatal(err)
		}
		if k.Name != g.Name+".tar.gz" || k.Size != g.Size || k.Variety != b.Name() {
			t.Errorf("HashFile %s = %s, want digest %s", b.Name(), k, g.Name)
		}
	}
}

func TestHashFileErrors(t *testing.T) {
	p := writeFile(t, "x", []byte("x"))
	wormB, _ := Lookup("WORM")
	if _, err := HashFile(context.Background(), p, wormB, 4); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("HashFile with WORM: err = %v, want an error naming %s", err, p)
	}
	missing := filepath.Join(t.TempDir(), "missing")
	if _, err := HashFile(context.Background(), missing, Default(), 4); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("HashFile of a missing file: err = %v, want ErrNotExist", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := HashFile(ctx, p, Default(), 4); !errors.Is(err, context.Canceled) {
		t.Errorf("HashFile with cancelled context: err = %v, want context.Canceled", err)
	}
}
