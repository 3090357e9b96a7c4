package crypto

import (
	"bufio"
	"encoding/binary"
	"errors"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// gpg 2.2 protects every message it encrypts with a passphrase with an
// iterated and salted S2K over SHA-1, calibrated to about 65 MB of hashing
// (count 65011712), and AES-256 needs two SHA-1 outputs: two passes over
// those 65 MB, the second after one zero byte. That is most of the work
// of decrypting a 16 MiB chunk. The passes are independent, so iterSHA1
// runs them side by side through sha1x2, which keeps the CPU's SHA unit
// busy where one pass waits on its own latency.

// iterSKESK is a version 4 SKESK packet with an iterated and salted S2K
// over SHA-1 and no encrypted session key: the S2K output is the session
// key. It decrypts as go-crypto's SymmetricKeyEncrypted does.
type iterSKESK struct {
	cf    packet.CipherFunction
	salt  [8]byte
	count int
}

// skesk is what decryptWith needs of an SKESK packet.
type skesk interface {
	Decrypt(passphrase []byte) ([]byte, packet.CipherFunction, error)
}

// readIterSKESK reads the SKESK packet at the start of in when it is one
// iterSKESK handles (gpg's); ok is false, with nothing read, otherwise.
func readIterSKESK(in *bufio.Reader) (s *iterSKESK, ok bool) {
	if !haveSHA1x2 {
		return nil, false
	}
	// Old format (gpg) or new format header, 13-byte body: version 4,
	// cipher, S2K type 3, hash 2 (SHA-1), salt, coded count.
	p, err := in.Peek(15)
	if err != nil || !(p[0] == 0x8c || p[0] == 0xc3) || p[1] != 13 || p[2] != 4 || p[4] != 3 || p[5] != 2 {
		return nil, false
	}
	cf := packet.CipherFunction(p[3])
	switch cf {
	case packet.CipherAES128, packet.CipherAES192, packet.CipherAES256:
	default:
		return nil, false
	}
	s = &iterSKESK{cf: cf, count: (16 + int(p[14]&15)) << (uint(p[14]>>4) + 6)}
	copy(s.salt[:], p[6:14])
	_, _ = in.Discard(15)
	return s, true
}

// Decrypt implements skesk: the session key the passphrase gives.
func (s *iterSKESK) Decrypt(passphrase []byte) ([]byte, packet.CipherFunction, error) {
	if len(passphrase) == 0 {
		return nil, 0, errors.New("empty passphrase")
	}
	key := iterSHA1(s.salt[:], passphrase, s.count)
	return key[:s.cf.KeySize()], s.cf, nil
}

// iterSHA1 is the iterated and salted S2K (RFC 4880 section 3.7.1.3)
// over SHA-1, both passes: 40 bytes, of which AES takes 16, 24 or 32.
func iterSHA1(salt, passphrase []byte, count int) [40]byte {
	unit := append(append([]byte(nil), salt...), passphrase...)
	count = max(count, len(unit))
	// The passes hash the unit repeated to count bytes, the second after
	// a zero byte. Both streams repeat every lcm(len(unit), 64) bytes;
	// pattern holds whole periods, plus a block so that the second
	// stream (one byte behind) reads the same buffer.
	period := len(unit) * 64 / gcd(len(unit), 64)
	reps := max(1, (64<<10)/period)
	pattern := make([]byte, reps*period+64)
	for i := 0; i < len(pattern); i += len(unit) {
		copy(pattern[i:], unit)
	}
	first := make([]byte, 64) // the second stream's first block
	copy(first[1:], pattern)
	h := [2][5]uint32{sha1Init, sha1Init}
	// The whole blocks both streams have; stream 1 may have one more,
	// hashed with its tail.
	full := count / 64
	if full > 0 {
		sha1Blocks2(&h[0], &h[1], pattern[:64], first)
	}
	// Block j >= 1 of stream 0 starts at offset 64j of the unit's
	// repetition, of stream 1 at 64j-1.
	span := reps * period
	for j := 1; j < full; {
		off := (64 * j) % span
		n := min(full-j, (span-off)/64)
		if off == 0 {
			// Stream 1 reads from offset span-1, where pattern has one
			// block to spare.
			n = 1
			sha1Blocks2(&h[0], &h[1], pattern[:64], pattern[span-1:span+63])
		} else {
			sha1Blocks2(&h[0], &h[1], pattern[off:off+64*n], pattern[off-1:off-1+64*n])
		}
		j += n
	}
	var key [40]byte
	for pass := range 2 {
		// The rest of the stream and SHA-1's padding.
		length := count + pass
		var tail []byte
		for p := 64 * full; p < length; p++ {
			if p < pass {
				tail = append(tail, 0)
			} else {
				tail = append(tail, unit[(p-pass)%len(unit)])
			}
		}
		tail = append(tail, 0x80)
		for len(tail)%64 != 56 {
			tail = append(tail, 0)
		}
		tail = binary.BigEndian.AppendUint64(tail, uint64(length)*8)
		var spare [5]uint32
		sha1Blocks2(&h[pass], &spare, tail, tail)
		for i, v := range h[pass] {
			binary.BigEndian.PutUint32(key[20*pass+4*i:], v)
		}
	}
	return key
}

var sha1Init = [5]uint32{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
