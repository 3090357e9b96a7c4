package crypto

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// gpgChunk returns size pseudo-random bytes and their encryption by gpg
// with the options git-annex passes for a shared remote's content
// (--symmetric --force-mdc --no-textmode, gpg's default compression and
// S2K count), and the passphrase.
func gpgChunk(tb testing.TB, size int) (plain, msg, pass []byte) {
	tb.Helper()
	g := testGPG(tb)
	c, err := GenerateCipher(Shared)
	if err != nil {
		tb.Fatal(err)
	}
	pass = c.Passphrase()
	plain = make([]byte, size)
	rng := rand.NewChaCha8([32]byte{1})
	_, _ = rng.Read(plain)
	pf := filepath.Join(tb.TempDir(), "pass")
	if err := os.WriteFile(pf, append(pass, '\n'), 0o600); err != nil {
		tb.Fatal(err)
	}
	var out bytes.Buffer
	err = g.run(context.Background(), bytes.NewReader(plain), &out, "--batch", "--quiet", "--trust-model", "always",
		"--pinentry-mode", "loopback", "--passphrase-file", pf, "--symmetric", "--force-mdc", "--no-textmode")
	if err != nil {
		tb.Fatal(err)
	}
	return plain, out.Bytes(), pass
}

// BenchmarkDecryptGPGChunk decrypts one 16 MiB chunk as git-annex stores
// it on a chunk=16MiB encryption=shared remote.
func BenchmarkDecryptGPGChunk(b *testing.B) {
	plain, msg, pass := gpgChunk(b, 16<<20)
	var out bytes.Buffer
	out.Grow(len(plain))
	if err := DecryptSymmetric(&out, bytes.NewReader(msg), pass); err != nil || !bytes.Equal(out.Bytes(), plain) {
		b.Fatalf("decryption: %v", err)
	}
	b.SetBytes(int64(len(plain)))
	b.ResetTimer()
	for b.Loop() {
		if err := DecryptSymmetric(io.Discard, bytes.NewReader(msg), pass); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncryptChunk encrypts one 16 MiB chunk as Trove stores it.
func BenchmarkEncryptChunk(b *testing.B) {
	plain := make([]byte, 16<<20)
	_, _ = rand.NewChaCha8([32]byte{2}).Read(plain)
	pass := []byte("passphrase")
	b.SetBytes(int64(len(plain)))
	for b.Loop() {
		if err := EncryptSymmetric(io.Discard, bytes.NewReader(plain), pass); err != nil {
			b.Fatal(err)
		}
	}
}
