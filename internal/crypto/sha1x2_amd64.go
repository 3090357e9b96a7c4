//go:build amd64 && !purego

package crypto

import "github.com/klauspost/cpuid/v2"

// haveSHA1x2: the CPU has the SHA extensions sha1x2 uses.
var haveSHA1x2 = cpuid.CPU.Supports(cpuid.SHA, cpuid.SSE4, cpuid.SSSE3)

//go:noescape
func sha1x2(a, b *[5]uint32, pa, pb *byte, n int)

// sha1Blocks2 runs the SHA-1 compression function over the whole 64-byte
// blocks of pa into a and of pb into b (pa and pb of the same length).
func sha1Blocks2(a, b *[5]uint32, pa, pb []byte) {
	if n := len(pa) / 64; n > 0 {
		_, _ = pa[64*n-1], pb[64*n-1]
		sha1x2(a, b, &pa[0], &pb[0], n)
	}
}
