package chunked

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/troveproject/trove/internal/chunk"
	"github.com/troveproject/trove/internal/crypto"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/encrypted"
	"github.com/troveproject/trove/internal/remote/remotetest"
)

// BenchmarkRetrieveGPGChunks retrieves a 64 MiB key from a chunk=16MiB
// encryption=shared directory remote whose chunks gpg encrypted as
// git-annex has it do (gpg's S2K count and compression): the decrypting
// pipeline of `git annex get` from such a remote, without the object
// store.
func BenchmarkRetrieveGPGChunks(b *testing.B) {
	gpg, err := exec.LookPath("gpg")
	if err != nil {
		if os.Getenv("CI") != "" {
			b.Fatalf("gpg is required in CI: %v", err)
		}
		b.Skipf("gpg not installed: %v", err)
	}
	const chunkSize, chunks = 16 << 20, 4
	ctx := context.Background()
	h := remotetest.NewHost(b)
	cfg, err := encrypted.Setup(ctx, remote.Init,
		remote.Config{"name": "dchunk", "type": "directory", "encryption": "shared", "chunk": "16MiB"}, h)
	if err != nil {
		b.Fatal(err)
	}
	p := remote.Params{Name: "dchunk", UUID: testUUID, Config: cfg, Host: h}
	dir := dirRemote(b.TempDir())
	enc, err := encrypted.Wrap(dir, p)
	if err != nil {
		b.Fatal(err)
	}
	r, err := Wrap(enc, p)
	if err != nil {
		b.Fatal(err)
	}
	settings, err := crypto.ParseSettings(cfg)
	if err != nil {
		b.Fatal(err)
	}
	c, err := crypto.Open(ctx, settings, nil)
	if err != nil {
		b.Fatal(err)
	}
	pass := c.Cipher().Passphrase()

	content := make([]byte, chunkSize*chunks)
	_, _ = rand.NewChaCha8([32]byte{3}).Read(content)
	k, err := key.Parse("SHA256E-s" + strconv.Itoa(len(content)) + "--0000000000000000000000000000000000000000000000000000000000000000.bin")
	if err != nil {
		b.Fatal(err)
	}
	tmp := b.TempDir()
	gnupg, err := os.MkdirTemp("", "gpg")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = exec.Command("gpgconf", "--homedir", gnupg, "--kill", "gpg-agent").Run()
		os.RemoveAll(gnupg)
	})
	passFile := filepath.Join(tmp, "pass")
	if err := os.WriteFile(passFile, append(pass, '\n'), 0o600); err != nil {
		b.Fatal(err)
	}
	for i, ck := range chunk.Keys(k, chunkSize, chunks) {
		cmd := exec.Command(gpg, "--homedir", gnupg, "--batch", "--quiet", "--pinentry-mode", "loopback",
			"--passphrase-file", passFile, "--symmetric", "--force-mdc", "--no-textmode")
		cmd.Stdin = bytes.NewReader(content[i*chunkSize : (i+1)*chunkSize])
		ct, err := cmd.Output()
		if err != nil {
			b.Fatalf("gpg: %v", err)
		}
		ek, err := enc.(*encrypted.Remote).EncryptedKey(ctx, ck)
		if err != nil {
			b.Fatal(err)
		}
		f := filepath.Join(tmp, "chunk")
		if err := os.WriteFile(f, ct, 0o600); err != nil {
			b.Fatal(err)
		}
		if err := dir.Store(ctx, ek, remote.Source{Path: f, Size: -1}, progress.Discard); err != nil {
			b.Fatal(err)
		}
	}
	if err := h.SetChunkCount(ctx, k, chunkSize, chunks); err != nil {
		b.Fatal(err)
	}

	out := filepath.Join(tmp, "out")
	b.SetBytes(int64(len(content)))
	for b.Loop() {
		_ = os.Remove(out)
		sink, err := remotetest.NewFileSink(out)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Retrieve(ctx, k, sink, progress.Discard); err != nil {
			b.Fatal(err)
		}
		sink.Close()
	}
	got, err := os.ReadFile(out)
	if err != nil || !bytes.Equal(got, content) {
		b.Fatalf("retrieved %d bytes, not the content (%v)", len(got), err)
	}
}
