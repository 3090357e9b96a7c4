//go:build !amd64 || purego

package crypto

// haveSHA1x2: no two-way SHA-1 here; S2K is go-crypto's.
const haveSHA1x2 = false

func sha1Blocks2(a, b *[5]uint32, pa, pb []byte) {
	panic("crypto: no two-way SHA-1 on this platform")
}
