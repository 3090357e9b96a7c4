//go:build amd64 && !purego

package crypto

import "github.com/klauspost/cpuid/v2"

// haveSHA1x2 reports that sha1Blocks2 runs on the CPU's SHA extensions
// (SHA1RNDS4 and friends, plus SSSE3's PSHUFB and SSE4.1's PINSRD and
// PEXTRD), two messages at once; readIterSKESK takes gpg's S2K only then.
var haveSHA1x2 = cpuid.CPU.Supports(cpuid.SHA, cpuid.SSSE3, cpuid.SSE4)

// sha1x2 compresses n (>= 1) 64-byte blocks starting at pa into the SHA-1
// state a, and n blocks starting at pb into b, the two computations
// interleaved instruction by instruction. Requires SHA, SSSE3, SSE4.1.
//
//go:noescape
func sha1x2(a, b *[5]uint32, pa, pb *byte, n int)

// sha1Blocks2 compresses the whole 64-byte blocks of pa into the SHA-1
// state a and those of pb into b; len(pb) must be at least len(pa) (it
// panics otherwise), and pb is read for as many blocks as pa has. a and
// b must not be the same state. Without the SHA extensions it is
// sha1Block twice.
func sha1Blocks2(a, b *[5]uint32, pa, pb []byte) {
	n := len(pa) / 64
	if n == 0 {
		return
	}
	_ = pb[64*n-1]
	if !haveSHA1x2 {
		sha1Blocks2Generic(a, b, pa, pb)
		return
	}
	sha1x2(a, b, &pa[0], &pb[0], n)
}
