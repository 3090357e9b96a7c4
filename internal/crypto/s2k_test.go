package crypto

import (
	"bufio"
	"bytes"
	"crypto/sha1" //nolint:gosec // the S2K's hash
	"math/rand/v2"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp/s2k"
)

// TestIterSHA1: both passes equal go-crypto's iterated S2K for
// passphrases of every length around the block size and the cipher's
// (428 bytes), and counts below the unit, odd, and gpg's. It runs the
// SHA extensions' path where the CPU has them (haveSHA1x2, logged), the
// portable one elsewhere.
func TestIterSHA1(t *testing.T) {
	t.Logf("SHA extensions used: %v", haveSHA1x2)
	rng := rand.New(rand.NewPCG(9, 10))
	for _, plen := range []int{1, 55, 56, 57, 63, 64, 120, 428, 1000} {
		for _, count := range []int{1, 1024, 65536 + 37, 65011712} {
			if count == 65011712 && plen != 428 {
				continue
			}
			pass := make([]byte, plen)
			for i := range pass {
				pass[i] = byte('A' + rng.IntN(26))
			}
			salt := []byte{1, 2, 3, 4, 5, 6, 7, byte(plen)}
			want := make([]byte, 40)
			s2k.Iterated(want, sha1.New(), pass, salt, count)
			if got := iterSHA1(salt, pass, count); !bytes.Equal(got[:], want) {
				t.Errorf("passphrase of %d bytes, count %d:\n got %x\nwant %x", plen, count, got, want)
			}
		}
	}
}

// TestReadIterSKESK: gpg's SKESK packets are taken; others (new S2K
// hashes, an encrypted session key) are left to go-crypto, and so is
// everything without the SHA extensions.
func TestReadIterSKESK(t *testing.T) {
	gpg := []byte{0x8c, 0x0d, 0x04, 0x09, 0x03, 0x02, 8, 7, 6, 5, 4, 3, 2, 1, 0xff, 0xd2}
	s, ok := readIterSKESK(bufio.NewReader(bytes.NewReader(gpg)))
	if !haveSHA1x2 {
		if ok {
			t.Errorf("taken without the SHA extensions: %+v", s)
		}
		return
	}
	if !ok || s.count != 65011712 || s.cf.KeySize() != 32 || s.salt != [8]byte{8, 7, 6, 5, 4, 3, 2, 1} {
		t.Errorf("gpg's SKESK: %+v, %v", s, ok)
	}
	for name, p := range map[string][]byte{
		"SHA-256":     {0x8c, 0x0d, 0x04, 0x09, 0x03, 0x08, 8, 7, 6, 5, 4, 3, 2, 1, 0xff},
		"session key": {0x8c, 0x0e, 0x04, 0x09, 0x03, 0x02, 8, 7, 6, 5, 4, 3, 2, 1, 0xff, 0},
		"short":       {0x8c, 0x0d, 0x04},
	} {
		r := bufio.NewReader(bytes.NewReader(p))
		if _, ok := readIterSKESK(r); ok || r.Buffered() != len(p) {
			t.Errorf("%s: taken (%v) or consumed", name, ok)
		}
	}
}

// BenchmarkS2K derives gpg's AES-256 key both ways.
func BenchmarkS2K(b *testing.B) {
	pass := bytes.Repeat([]byte("x"), 428)
	salt := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	b.Run("sha1x2", func(b *testing.B) {
		if !haveSHA1x2 {
			b.Skip("no SHA extensions")
		}
		for b.Loop() {
			iterSHA1(salt, pass, 65011712)
		}
	})
	b.Run("go-crypto", func(b *testing.B) {
		out := make([]byte, 32)
		for b.Loop() {
			s2k.Iterated(out, sha1.New(), pass, salt, 65011712)
		}
	})
}
