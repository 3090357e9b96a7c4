package crypto

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestDecryptWholeAndStreamed: with wholeMax lowered, messages whose
// contents fit are decrypted whole, larger ones streamed, and content
// that inflates past the whole path's room falls back to streaming; all
// give back the plaintext.
func TestDecryptWholeAndStreamed(t *testing.T) {
	defer func(m int) { wholeMax = m }(wholeMax)
	wholeMax = 100 << 10
	rng := rand.New(rand.NewPCG(5, 6))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	pass := testCipher(t, Shared).Passphrase()
	for name, plain := range map[string][]byte{
		"whole":              random(50 << 10),
		"streamed":           random(300 << 10),
		"inflates past room": make([]byte, 3<<20),
		"near the limit":     random(wholeMax - 200),
	} {
		var msg, out bytes.Buffer
		if err := EncryptSymmetric(&msg, bytes.NewReader(plain), pass); err != nil {
			t.Fatal(err)
		}
		if err := DecryptSymmetric(&out, bytes.NewReader(msg.Bytes()), pass); err != nil {
			t.Errorf("%s: %v", name, err)
		} else if !bytes.Equal(out.Bytes(), plain) {
			t.Errorf("%s: decrypted %d bytes, not the %d encrypted", name, out.Len(), len(plain))
		}
		flipped := bytes.Clone(msg.Bytes())
		flipped[len(flipped)/2] ^= 0x40
		if err := DecryptSymmetric(&out, bytes.NewReader(flipped), pass); err == nil {
			t.Errorf("%s: a flipped bit went unnoticed", name)
		}
		if err := DecryptSymmetric(&out, bytes.NewReader(msg.Bytes()), []byte("wrong")); err == nil {
			t.Errorf("%s: decrypted with a wrong passphrase", name)
		}
	}
	if n := len(wholeSlots); n != 0 {
		t.Errorf("%d messages still hold a slot for decryption in memory", n)
	}
}

// TestWholeSlotsTaken: with every slot taken, messages are streamed.
func TestWholeSlotsTaken(t *testing.T) {
	for range cap(wholeSlots) {
		wholeSlots <- struct{}{}
	}
	defer func() {
		for range cap(wholeSlots) {
			<-wholeSlots
		}
	}()
	plain := bytes.Repeat([]byte("streamed "), 10000)
	var msg, out bytes.Buffer
	if err := EncryptSymmetric(&msg, bytes.NewReader(plain), []byte("p")); err != nil {
		t.Fatal(err)
	}
	if err := DecryptSymmetric(&out, &msg, []byte("p")); err != nil || !bytes.Equal(out.Bytes(), plain) {
		t.Errorf("decrypted %d bytes of %d: %v", out.Len(), len(plain), err)
	}
}

// TestReadsGPGCompression: messages gpg writes with each compression
// algorithm (and none) decrypt, whole and streamed.
func TestReadsGPGCompression(t *testing.T) {
	g := testGPG(t)
	pass := testCipher(t, Shared).Passphrase()
	pf := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(pf, append(pass, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	plain := bytes.Repeat([]byte("compressible text, "), 20000)
	rand.New(rand.NewPCG(7, 8)).Shuffle(len(plain)/2, func(i, j int) { plain[i], plain[j] = plain[j], plain[i] })
	for _, algo := range []string{"none", "zip", "zlib", "bzip2"} {
		var msg bytes.Buffer
		err := g.run(context.Background(), bytes.NewReader(plain), &msg, "--batch", "--quiet", "--pinentry-mode", "loopback",
			"--passphrase-file", pf, "--compress-algo", algo, "--symmetric", "--force-mdc", "--no-textmode")
		if err != nil {
			t.Fatal(err)
		}
		for _, max := range []int{64 << 20, 1000} {
			t.Run(fmt.Sprintf("%s/whole-max-%d", algo, max), func(t *testing.T) {
				defer func(m int) { wholeMax = m }(wholeMax)
				wholeMax = max
				var out bytes.Buffer
				if err := DecryptSymmetric(&out, bytes.NewReader(msg.Bytes()), pass); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(out.Bytes(), plain) {
					t.Errorf("decrypted %d bytes, not the %d gpg encrypted", out.Len(), len(plain))
				}
			})
		}
	}
}

func FuzzCompressedBody(f *testing.F) {
	f.Add([]byte{0xa3, 0x01, 0x63, 0x60})
	f.Add([]byte{0xa0, 0x02, 0x01, 0x00})
	f.Add([]byte{0xc8, 0x02, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, p []byte) {
		algo, body, ok := compressedBody(p)
		if ok && (len(body) >= len(p) || (len(body) > 0 && !bytes.Contains(p, body))) {
			t.Fatalf("body %x (algorithm %d) is not inside %x", body, algo, p)
		}
	})
}
