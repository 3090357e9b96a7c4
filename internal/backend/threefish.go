package backend

import "math/bits"

// threefishKeyParity is C240 of the Skein 1.3 specification.
const threefishKeyParity = 0x1BD11BDAA9FC1A22

// threefishSubkey adds subkey s, built from key k[:nw+1] and tweak t, to
// the state x[:nw] (Skein 1.3 §3.3.2).
func threefishSubkey(k *[9]uint64, t *[3]uint64, nw int, x *[8]uint64, s int) {
	for i := 0; i < nw; i++ {
		x[i] += k[(s+i)%(nw+1)]
	}
	x[nw-3] += t[s%3]
	x[nw-2] += t[(s+1)%3]
	x[nw-1] += uint64(s)
}

// threefishSetup fills in the key parity word and the third tweak word.
func threefishSetup(k *[9]uint64, t *[3]uint64, nw int) {
	k[nw] = threefishKeyParity
	for i := 0; i < nw; i++ {
		k[nw] ^= k[i]
	}
	t[2] = t[0] ^ t[1]
}

// threefish256 encrypts x[:4] in place with key k[:4] and tweak t[:2]
// (72 rounds; the word permutation is folded into the mix pairs).
func threefish256(k *[9]uint64, t *[3]uint64, x *[8]uint64) {
	threefishSetup(k, t, 4)
	for s := 0; s < 18; s += 2 {
		threefishSubkey(k, t, 4, x, s)
		threefishMix(&x[0], &x[1], 14)
		threefishMix(&x[2], &x[3], 16)
		threefishMix(&x[0], &x[3], 52)
		threefishMix(&x[2], &x[1], 57)
		threefishMix(&x[0], &x[1], 23)
		threefishMix(&x[2], &x[3], 40)
		threefishMix(&x[0], &x[3], 5)
		threefishMix(&x[2], &x[1], 37)
		threefishSubkey(k, t, 4, x, s+1)
		threefishMix(&x[0], &x[1], 25)
		threefishMix(&x[2], &x[3], 33)
		threefishMix(&x[0], &x[3], 46)
		threefishMix(&x[2], &x[1], 12)
		threefishMix(&x[0], &x[1], 58)
		threefishMix(&x[2], &x[3], 22)
		threefishMix(&x[0], &x[3], 32)
		threefishMix(&x[2], &x[1], 32)
	}
	threefishSubkey(k, t, 4, x, 18)
}

// threefishMix is the MIX function: a += b; b = (b <<< r) ^ a.
func threefishMix(a, b *uint64, r int) {
	*a += *b
	*b = bits.RotateLeft64(*b, r) ^ *a
}

// threefish512 encrypts x with key k[:8] and tweak t[:2] (72 rounds; the
// word permutation is folded into the mix pairs).
func threefish512(k *[9]uint64, t *[3]uint64, x *[8]uint64) {
	threefishSetup(k, t, 8)
	for s := 0; s < 18; s += 2 {
		threefishSubkey(k, t, 8, x, s)
		threefishMix(&x[0], &x[1], 46)
		threefishMix(&x[2], &x[3], 36)
		threefishMix(&x[4], &x[5], 19)
		threefishMix(&x[6], &x[7], 37)
		threefishMix(&x[2], &x[1], 33)
		threefishMix(&x[4], &x[7], 27)
		threefishMix(&x[6], &x[5], 14)
		threefishMix(&x[0], &x[3], 42)
		threefishMix(&x[4], &x[1], 17)
		threefishMix(&x[6], &x[3], 49)
		threefishMix(&x[0], &x[5], 36)
		threefishMix(&x[2], &x[7], 39)
		threefishMix(&x[6], &x[1], 44)
		threefishMix(&x[0], &x[7], 9)
		threefishMix(&x[2], &x[5], 54)
		threefishMix(&x[4], &x[3], 56)
		threefishSubkey(k, t, 8, x, s+1)
		threefishMix(&x[0], &x[1], 39)
		threefishMix(&x[2], &x[3], 30)
		threefishMix(&x[4], &x[5], 34)
		threefishMix(&x[6], &x[7], 24)
		threefishMix(&x[2], &x[1], 13)
		threefishMix(&x[4], &x[7], 50)
		threefishMix(&x[6], &x[5], 10)
		threefishMix(&x[0], &x[3], 17)
		threefishMix(&x[4], &x[1], 25)
		threefishMix(&x[6], &x[3], 29)
		threefishMix(&x[0], &x[5], 39)
		threefishMix(&x[2], &x[7], 43)
		threefishMix(&x[6], &x[1], 8)
		threefishMix(&x[0], &x[7], 35)
		threefishMix(&x[2], &x[5], 56)
		threefishMix(&x[4], &x[3], 22)
	}
	threefishSubkey(k, t, 8, x, 18)
}
