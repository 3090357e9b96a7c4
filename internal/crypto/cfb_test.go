package crypto

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"math/rand/v2"
	"testing"
)

// TestExpandKey: the S-box and key expansion behind the bulk decrypter
// are AES's (checked through the first round key, the key itself, and a
// known answer: FIPS-197 appendix A.3's last round key of AES-256).
func TestExpandKey(t *testing.T) {
	key := []byte{
		0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe, 0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d, 0x77, 0x81,
		0x1f, 0x35, 0x2c, 0x07, 0x3b, 0x61, 0x08, 0xd7, 0x2d, 0x98, 0x10, 0xa3, 0x09, 0x14, 0xdf, 0xf4,
	}
	xk := expandKey(key)
	want := []byte{0xfe, 0x48, 0x90, 0xd1, 0xe6, 0x18, 0x8d, 0x0b, 0x04, 0x6d, 0xf3, 0x44, 0x70, 0x6c, 0x63, 0x1e}
	if len(xk) != 15*16 || !bytes.Equal(xk[:32], key) || !bytes.Equal(xk[14*16:], want) {
		t.Errorf("AES-256 key schedule:\n%x\nwant last round key %x", xk, want)
	}
	if sbox[0] != 0x63 || sbox[0x53] != 0xed || sbox[0xff] != 0x16 {
		t.Errorf("S-box: %#x %#x %#x", sbox[0], sbox[0x53], sbox[0xff])
	}
}

// TestCFBDecrypter: for every AES key size, random messages split into
// random pieces (partial blocks, whole runs, single bytes) decrypt as the
// standard library's CFB decrypter does, in place and not.
func TestCFBDecrypter(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, keyLen := range []int{16, 24, 32} {
		for trial := range 200 {
			key := make([]byte, keyLen)
			for i := range key {
				key[i] = byte(rng.Uint32())
			}
			msg := make([]byte, rng.IntN(2000))
			for i := range msg {
				msg[i] = byte(rng.Uint32())
			}
			b, err := aes.NewCipher(key)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]byte, len(msg))
			cipher.NewCFBDecrypter(b, make([]byte, 16)).XORKeyStream(want, msg) //nolint:staticcheck // the reference
			inPlace := trial%2 == 0
			got := make([]byte, len(msg))
			if inPlace {
				copy(got, msg)
			}
			d, err := newCFBDecrypter(key)
			if err != nil {
				t.Fatal(err)
			}
			for off := 0; off < len(msg); {
				n := min(len(msg)-off, rng.IntN(300))
				if inPlace {
					d.XORKeyStream(got[off:off+n], got[off:off+n])
				} else {
					d.XORKeyStream(got[off:off+n], msg[off:off+n])
				}
				off += n
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("AES-%d, %d bytes, in place %v: differs from crypto/cipher's CFB", 8*keyLen, len(msg), inPlace)
			}
		}
	}
}

// BenchmarkCFBDecrypt compares the decrypter with crypto/cipher's over 1
// MiB calls.
func BenchmarkCFBDecrypt(b *testing.B) {
	key := make([]byte, 32)
	buf := make([]byte, 1<<20)
	blk, _ := aes.NewCipher(key)
	bulk, _ := newCFBDecrypter(key)
	for name, s := range map[string]cipher.Stream{
		"bulk":   bulk,
		"stdlib": cipher.NewCFBDecrypter(blk, make([]byte, 16)), //nolint:staticcheck // the reference
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(buf)))
			for b.Loop() {
				s.XORKeyStream(buf, buf)
			}
		})
	}
}
