package crypto

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

func testCipher(t *testing.T, s Scheme) Cipher {
	t.Helper()
	c, err := GenerateCipher(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestGenerateCipherFormat(t *testing.T) {
	for s, want := range map[Scheme]int{Shared: 685, Hybrid: 685, SharedPubKey: 685, PubKey: 345} {
		c := testCipher(t, s)
		text := c.Bytes()
		if len(text) != want || text[len(text)-1] != '\n' || bytes.IndexByte(text[:len(text)-1], '\n') >= 0 {
			t.Errorf("%s: cipher string of %d bytes (want %d, one line ending in newline)", s, len(text), want)
		}
	}
	c := testCipher(t, Shared)
	if n := len(c.Passphrase()); n != 428 {
		t.Errorf("shared passphrase is %d bytes, want 428", n)
	}
	if n := len(c.MACKey()); n != 256 {
		t.Errorf("shared MAC key is %d bytes, want 256", n)
	}
	if n := len(testCipher(t, PubKey).MACKey()); n != 345 {
		t.Errorf("pubkey MAC key is %d bytes, want the whole 345", n)
	}
}

// TestSymmetricPackets checks the packet sequence gpg --symmetric
// --force-mdc writes: SKESK v4, SEIPD v1 (MDC), compressed, binary
// literal with no file name.
func TestSymmetricPackets(t *testing.T) {
	var msg bytes.Buffer
	if err := EncryptSymmetric(&msg, bytes.NewReader([]byte("hello")), []byte("pass")); err != nil {
		t.Fatal(err)
	}
	r := packet.NewReader(bytes.NewReader(msg.Bytes()))
	p, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	skesk, ok := p.(*packet.SymmetricKeyEncrypted)
	if !ok || skesk.Version != 4 || skesk.CipherFunc != packet.CipherAES256 {
		t.Fatalf("first packet %#v, want SKESK v4 AES256", p)
	}
	if p, err = r.Next(); err != nil {
		t.Fatal(err)
	}
	seipd, ok := p.(*packet.SymmetricallyEncrypted)
	if !ok || seipd.Version != 1 {
		t.Fatalf("second packet %#v, want SEIPD v1 with MDC", p)
	}
	key, cipherFunc, err := skesk.Decrypt([]byte("pass"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := seipd.Decrypt(cipherFunc, key)
	if err != nil {
		t.Fatal(err)
	}
	inner := packet.NewReader(body)
	p, err = inner.Next()
	if err != nil {
		t.Fatal(err)
	}
	comp, ok := p.(*packet.Compressed)
	if !ok {
		t.Fatalf("encrypted packet %#v, want compressed", p)
	}
	p, err = packet.NewReader(comp.Body).Next()
	if err != nil {
		t.Fatal(err)
	}
	lit, ok := p.(*packet.LiteralData)
	if !ok || !lit.IsBinary || lit.FileName != "" {
		t.Fatalf("compressed packet holds %#v, want a binary literal with no name", p)
	}
	data, err := io.ReadAll(lit.Body)
	if err != nil || string(data) != "hello" {
		t.Errorf("literal data %q, %v", data, err)
	}
}

func TestSymmetricRoundTrip(t *testing.T) {
	for _, size := range []int{0, 1, 4095, 1 << 20} {
		plain := make([]byte, size)
		rand.Read(plain)
		var msg, out bytes.Buffer
		pass := testCipher(t, Shared).Passphrase()
		if err := EncryptSymmetric(&msg, bytes.NewReader(plain), pass); err != nil {
			t.Fatal(err)
		}
		if err := DecryptSymmetric(&out, bytes.NewReader(msg.Bytes()), pass); err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if !bytes.Equal(out.Bytes(), plain) {
			t.Errorf("size %d: round trip changed the content", size)
		}
	}
}

// Concurrent encryptions share no state (go-crypto writes to the S2K
// config it is given; run with -race to see a shared one).
func TestSymmetricConcurrent(t *testing.T) {
	pass := testCipher(t, Shared).Passphrase()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var msg, out bytes.Buffer
			if errs[i] = EncryptSymmetric(&msg, bytes.NewReader([]byte{byte(i)}), pass); errs[i] != nil {
				return
			}
			if errs[i] = DecryptSymmetric(&out, &msg, pass); errs[i] == nil && !bytes.Equal(out.Bytes(), []byte{byte(i)}) {
				errs[i] = errors.New("round trip changed the content")
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("encryption %d: %v", i, err)
		}
	}
}

func TestSymmetricRejectsDamage(t *testing.T) {
	pass := []byte("p")
	var msg bytes.Buffer
	plain := bytes.Repeat([]byte("content "), 1000)
	if err := EncryptSymmetric(&msg, bytes.NewReader(plain), pass); err != nil {
		t.Fatal(err)
	}
	ct := msg.Bytes()
	flipped := bytes.Clone(ct)
	flipped[len(flipped)-30] ^= 1
	for name, data := range map[string][]byte{
		"truncated":      ct[:len(ct)-10],
		"flipped bit":    flipped,
		"not openpgp":    []byte("plain text, not a message"),
		"empty":          nil,
		"wrong password": ct,
	} {
		p := pass
		if name == "wrong password" {
			p = []byte("q")
		}
		err := DecryptSymmetric(io.Discard, bytes.NewReader(data), p)
		if !errors.Is(err, ErrDecrypt) {
			t.Errorf("%s: error %v, want ErrDecrypt", name, err)
		}
	}
}

// TestGPGReadsSymmetric: gpg 2.2 decrypts what EncryptSymmetric writes,
// given the passphrase git-annex would give it.
func TestGPGReadsSymmetric(t *testing.T) {
	g := testGPG(t)
	c := testCipher(t, Shared)
	plain := bytes.Repeat([]byte{0, 1, 2, 255}, 50000)
	var msg bytes.Buffer
	if err := EncryptSymmetric(&msg, bytes.NewReader(plain), c.Passphrase()); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := g.run(context.Background(), &msg, &out, "--batch", "--quiet", "--pinentry-mode", "loopback",
		"--passphrase", string(c.Passphrase()), "--decrypt")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), plain) {
		t.Error("gpg decrypted different content")
	}
}

// TestReadsGPGSymmetric: DecryptSymmetric reads what gpg --symmetric
// writes with git-annex's options (including gpg's own compression and
// S2K count).
func TestReadsGPGSymmetric(t *testing.T) {
	g := testGPG(t)
	c := testCipher(t, Shared)
	plain := bytes.Repeat([]byte("trove "), 30000)
	pf := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(pf, append(c.Passphrase(), '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	var msg bytes.Buffer
	err := g.run(context.Background(), bytes.NewReader(plain), &msg, "--batch", "--quiet", "--trust-model", "always",
		"--pinentry-mode", "loopback", "--passphrase-file", pf, "--symmetric", "--force-mdc", "--no-textmode")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := DecryptSymmetric(&out, &msg, c.Passphrase()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), plain) {
		t.Error("decrypted different content")
	}
}

func FuzzDecryptSymmetric(f *testing.F) {
	var msg bytes.Buffer
	if err := EncryptSymmetric(&msg, bytes.NewReader([]byte("seed")), []byte("p")); err != nil {
		f.Fatal(err)
	}
	f.Add(msg.Bytes())
	f.Add([]byte{0x8c, 0x0d, 0x04, 0x09, 0x03})
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = DecryptSymmetric(io.Discard, bytes.NewReader(data), []byte("p"))
	})
}

// FuzzOpenLiteral feeds arbitrary decrypted contents to the packet
// parser behind DecryptSymmetric's integrity check.
func FuzzOpenLiteral(f *testing.F) {
	f.Add([]byte{0xa3, 0x01, 0x63, 0x60, 0x00, 0x00})
	f.Add([]byte{0xcb, 0x07, 'b', 0, 0, 0, 0, 0, 'x'})
	f.Add([]byte{0xcb, 0xe1, 'b', 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		lit, err := openLiteral(bufio.NewReader(bytes.NewReader(data)))
		if err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(lit, 1<<20))
		}
	})
}

// TestPartialLengths reads a literal packet split into partial body
// lengths (as go-crypto writes streams) and one with an old-format
// two-byte length.
func TestPartialLengths(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 64) // 1024 bytes
	body := append([]byte{'b', 0, 0, 0, 0, 0}, data...)  // 1030 bytes
	partial := append([]byte{0xcb, 0xe9}, body[:512]...) // 2^9
	partial = append(partial, 0xc1, 0x46)                // final 518: (0xc1-192)<<8 + 0x46 + 192
	partial = append(partial, body[512:]...)
	old := append([]byte{0xad, 0x04, 0x06}, body...) // tag 11, 2-byte length 1030
	for name, msg := range map[string][]byte{"partial": partial, "old": old} {
		lit, err := openLiteral(bufio.NewReader(bytes.NewReader(msg)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := io.ReadAll(lit)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: read %d bytes, %v", name, len(got), err)
		}
	}
}

// TestPartialWriterLengths writes bodies around every length encoding
// and part boundary and reads them back with readPacket.
func TestPartialWriterLengths(t *testing.T) {
	for _, n := range []int{0, 1, 191, 192, 8383, 8384, partialPart - 1, partialPart, partialPart + 1, 3*partialPart + 200} {
		body := make([]byte, n)
		rand.Read(body)
		var out bytes.Buffer
		w := newPartialWriter(&out, tagLiteral)
		if _, err := w.Write(body[:n/2]); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body[n/2:]); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		tag, r, err := readPacket(bufio.NewReader(&out))
		if err != nil || tag != tagLiteral {
			t.Fatalf("%d bytes: tag %d, %v", n, tag, err)
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, body) {
			t.Errorf("%d bytes: read %d back, %v", n, len(got), err)
		}
	}
}

// Damaged content is not blamed on the passphrase: with the right one, no
// truncation of a message is reported as a wrong passphrase, while the
// wrong one is.
func TestTruncationIsNotAWrongPassphrase(t *testing.T) {
	pass := []byte("p")
	var msg bytes.Buffer
	if err := EncryptSymmetric(&msg, bytes.NewReader(bytes.Repeat([]byte("content "), 100)), pass); err != nil {
		t.Fatal(err)
	}
	ct := msg.Bytes()
	if err := DecryptSymmetric(io.Discard, bytes.NewReader(ct), []byte("q")); err == nil || !strings.Contains(err.Error(), "wrong passphrase") {
		t.Errorf("wrong passphrase: error %v", err)
	}
	for n := range len(ct) {
		err := DecryptSymmetric(io.Discard, bytes.NewReader(ct[:n]), pass)
		if err == nil {
			t.Fatalf("cut at %d of %d decrypted", n, len(ct))
		}
		if strings.Contains(err.Error(), "wrong passphrase") {
			t.Fatalf("cut at %d of %d: %v", n, len(ct), err)
		}
	}
}
