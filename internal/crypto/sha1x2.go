package crypto

// haveSHA1x2 reports a two-way SHA-1 block function; there is none yet,
// so the iterated S2K is go-crypto's.
const haveSHA1x2 = false

func sha1Blocks2(a, b *[5]uint32, pa, pb []byte) {
	panic("crypto: no two-way SHA-1 on this platform")
}
