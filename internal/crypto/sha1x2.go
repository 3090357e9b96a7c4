//go:build !amd64 || purego

package crypto

// haveSHA1x2 reports a fast two-way SHA-1 block function; there is none
// on this platform, so readIterSKESK leaves the iterated S2K to go-crypto
// (whose SHA-1 is the standard library's, accelerated where it can be).
const haveSHA1x2 = false

// sha1Blocks2 compresses the whole 64-byte blocks of pa into the SHA-1
// state a and those of pb into b; len(pb) must be at least len(pa), and
// pb is read for as many blocks as pa has. Here it is sha1Block twice.
func sha1Blocks2(a, b *[5]uint32, pa, pb []byte) {
	sha1Blocks2Generic(a, b, pa, pb)
}
