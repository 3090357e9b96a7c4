//go:build !amd64 || purego

package crypto

// haveBulkCFB: no bulk CFB here; newCFBDecrypter uses the standard
// library's.
const haveBulkCFB = false

func cfbDecryptBlocks(int, []byte, *[16]byte, []byte, []byte) {
	panic("crypto: no bulk CFB decryption on this platform")
}
