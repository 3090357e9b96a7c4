package crypto

import (
	"encoding/binary"
	"math/bits"
)

// sha1Block compresses the whole 64-byte blocks of p into the SHA-1 state
// h, as FIPS 180-4 section 6.1.2 steps 1 to 4 describe; bytes past the
// last whole block are ignored. It is the reference that the two-way
// assembly is tested against.
func sha1Block(h *[5]uint32, p []byte) {
	var w [80]uint32
	for ; len(p) >= 64; p = p[64:] {
		for t := range 16 {
			w[t] = binary.BigEndian.Uint32(p[4*t:])
		}
		for t := 16; t < 80; t++ {
			w[t] = bits.RotateLeft32(w[t-3]^w[t-8]^w[t-14]^w[t-16], 1)
		}
		a, b, c, d, e := h[0], h[1], h[2], h[3], h[4]
		for t := range 80 {
			var f, k uint32
			switch t / 20 {
			case 0:
				f, k = (b&c)|(^b&d), 0x5a827999 // Ch
			case 1:
				f, k = b^c^d, 0x6ed9eba1 // Parity
			case 2:
				f, k = (b&c)|(b&d)|(c&d), 0x8f1bbcdc // Maj
			default:
				f, k = b^c^d, 0xca62c1d6 // Parity
			}
			tmp := bits.RotateLeft32(a, 5) + f + e + k + w[t]
			e, d, c, b, a = d, c, bits.RotateLeft32(b, 30), a, tmp
		}
		h[0] += a
		h[1] += b
		h[2] += c
		h[3] += d
		h[4] += e
	}
}

// sha1Blocks2Generic is sha1Blocks2 without the SHA extensions: the
// whole blocks of pa into a, then as many blocks of pb into b.
func sha1Blocks2Generic(a, b *[5]uint32, pa, pb []byte) {
	n := len(pa) / 64 * 64
	sha1Block(a, pa[:n])
	sha1Block(b, pb[:n])
}
