package crypto

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
)

// OpenPGP's CFB decryption (zero IV, no resynchronisation) computes
// P_i = C_i XOR E(C_{i-1}): every block's cipher input is ciphertext that
// is already there, so unlike encryption it needs no chain and many blocks
// can be in the AES pipeline at once. The standard library's CFB
// decrypter encrypts one block per call; cfbDecrypter hands whole runs of
// blocks to an 8-wide AES-NI loop where the CPU has one (amd64), and is
// the standard library's decrypter elsewhere.

// newCFBDecrypter returns the CFB decrypter of AES with key (16, 24 or 32
// bytes) and a zero IV.
func newCFBDecrypter(key []byte) (cipher.Stream, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if !haveBulkCFB {
		return cipher.NewCFBDecrypter(b, make([]byte, aes.BlockSize)), nil //nolint:staticcheck // OpenPGP's mode; integrity is the MDC
	}
	return &cfbDecrypter{b: b, xk: expandKey(key), nr: len(key)/4 + 6, used: aes.BlockSize}, nil
}

// cfbDecrypter is a CFB decrypter whose whole blocks are decrypted by
// cfbDecryptBlocks. It produces exactly what cipher.NewCFBDecrypter does
// for any split of the input into XORKeyStream calls.
type cfbDecrypter struct {
	b    cipher.Block
	xk   []byte // the expanded encryption key, FIPS-197 byte order
	nr   int    // rounds
	next [aes.BlockSize]byte
	out  [aes.BlockSize]byte
	used int // bytes of out already used; BlockSize when none is left
}

// XORKeyStream implements cipher.Stream. dst and src must overlap
// entirely or not at all.
func (x *cfbDecrypter) XORKeyStream(dst, src []byte) {
	if len(dst) < len(src) {
		panic("crypto: output smaller than input")
	}
	// The rest of a block begun by an earlier call.
	for len(src) > 0 && x.used < aes.BlockSize {
		n := x.partial(dst, src)
		dst, src = dst[n:], src[n:]
	}
	if whole := len(src) &^ (aes.BlockSize - 1); whole > 0 {
		cfbDecryptBlocks(x.nr, x.xk, &x.next, dst[:whole], src[:whole])
		dst, src = dst[whole:], src[whole:]
	}
	if len(src) > 0 {
		x.b.Encrypt(x.out[:], x.next[:])
		x.used = 0
		x.partial(dst, src)
	}
}

// partial decrypts up to the end of the current keystream block (out,
// from used on) and returns how many bytes it did.
func (x *cfbDecrypter) partial(dst, src []byte) int {
	n := min(len(src), aes.BlockSize-x.used)
	copy(x.next[x.used:], src[:n]) // src first: dst may be src
	subtle.XORBytes(dst[:n], src[:n], x.out[x.used:x.used+n])
	x.used += n
	return n
}

// expandKey is the AES key expansion (FIPS-197 section 5.2), round keys
// in the byte order AES-NI takes them.
func expandKey(key []byte) []byte {
	nk := len(key) / 4
	nr := nk + 6
	w := make([]uint32, 4*(nr+1))
	for i := range nk {
		w[i] = binary.BigEndian.Uint32(key[4*i:])
	}
	rcon := uint32(1)
	for i := nk; i < len(w); i++ {
		t := w[i-1]
		switch {
		case i%nk == 0:
			t = subWord(t<<8|t>>24) ^ rcon<<24
			rcon = uint32(xtime(byte(rcon)))
		case nk > 6 && i%nk == 4:
			t = subWord(t)
		}
		w[i] = w[i-nk] ^ t
	}
	xk := make([]byte, 4*len(w))
	for i, v := range w {
		binary.BigEndian.PutUint32(xk[4*i:], v)
	}
	return xk
}

// subWord applies the S-box to each byte of w.
func subWord(w uint32) uint32 {
	return uint32(sbox[w>>24])<<24 | uint32(sbox[w>>16&0xff])<<16 | uint32(sbox[w>>8&0xff])<<8 | uint32(sbox[w&0xff])
}

// xtime multiplies by x in AES's GF(2^8).
func xtime(b byte) byte {
	if b&0x80 != 0 {
		return b<<1 ^ 0x1b
	}
	return b << 1
}

// sbox is the AES S-box: the multiplicative inverse in GF(2^8) followed
// by the affine transformation (FIPS-197 section 5.1.1).
var sbox = func() (s [256]byte) {
	// p runs through every non-zero element as powers of 3, q through
	// their inverses as powers of 3's inverse.
	p, q := byte(1), byte(1)
	for {
		p ^= xtime(p)
		q ^= q << 1
		q ^= q << 2
		q ^= q << 4
		if q&0x80 != 0 {
			q ^= 0x09
		}
		s[p] = 0x63 ^ q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4)
		if p == 1 {
			break
		}
	}
	s[0] = 0x63
	return s
}()

func rotl8(b byte, n uint) byte { return b<<n | b>>(8-n) }
