//go:build amd64 && !purego

package crypto

import "golang.org/x/sys/cpu"

// haveBulkCFB: the CPU has AES-NI.
var haveBulkCFB = cpu.X86.HasAES && cpu.X86.HasSSE2

//go:noescape
func cfbDecryptAsm(nr int, xk *byte, iv *byte, dst *byte, src *byte, n int)

// cfbDecryptBlocks decrypts the whole blocks of src into dst (len(src) a
// non-zero multiple of the block size, dst at least as long, equal to src
// or not overlapping it) in CFB mode after the ciphertext block iv, and
// leaves the last ciphertext block in iv.
func cfbDecryptBlocks(nr int, xk []byte, iv *[16]byte, dst, src []byte) {
	_ = dst[len(src)-1]
	cfbDecryptAsm(nr, &xk[0], &iv[0], &dst[0], &src[0], len(src)/16)
}
