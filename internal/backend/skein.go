package backend

import (
	"encoding/binary"
	"math/bits"
)

// skeinVariant describes one Skein state size (Skein 1.3 specification):
// the Threefish rotation constants and word permutation for Nw words.
type skeinVariant struct {
	words int       // Nw: 4 for Skein-256, 8 for Skein-512
	rot   [8][4]int // R(d mod 8, j)
	perm  []int     // π
}

var skein256 = &skeinVariant{
	words: 4,
	rot: [8][4]int{
		{14, 16}, {52, 57}, {23, 40}, {5, 37}, {25, 33}, {46, 12}, {58, 22}, {32, 32},
	},
	perm: []int{0, 3, 2, 1},
}

var skein512 = &skeinVariant{
	words: 8,
	rot: [8][4]int{
		{46, 36, 19, 37}, {33, 27, 14, 42}, {17, 49, 36, 39}, {44, 9, 54, 56},
		{39, 30, 34, 24}, {13, 50, 10, 17}, {25, 29, 39, 43}, {8, 35, 56, 22},
	},
	perm: []int{2, 1, 4, 7, 6, 5, 0, 3},
}

// Skein UBI block types and tweak flags.
const (
	skeinTypeCfg    = 4
	skeinTypeMsg    = 48
	skeinTypeOut    = 63
	skeinFirst      = 1 << 62
	skeinFinal      = 1 << 63
	skeinKeyParity  = 0x1BD11BDAA9FC1A22
	threefishRounds = 72
)

// skein is Skein-256-256 or Skein-512-512 (output size = state size), the
// hashes of git-annex's SKEIN256 and SKEIN512 backends. It implements
// hash.Hash; Sum does not change the state.
type skein struct {
	v   *skeinVariant
	g   [8]uint64 // chaining value after the configuration block
	h   [8]uint64 // chaining value
	pos uint64    // message bytes processed, including buffered ones
	buf [64]byte
	n   int // bytes in buf; a full block stays buffered until more arrives
}

func newSkein(v *skeinVariant) *skein {
	s := &skein{v: v}
	var cfg [64]byte
	copy(cfg[:], "SHA3")
	cfg[4] = 1                                                 // version
	binary.LittleEndian.PutUint64(cfg[8:], uint64(v.words*64)) // output bits
	s.ubiBlock(&s.g, cfg[:8*v.words], 32, skeinTypeCfg<<56|skeinFirst|skeinFinal)
	s.Reset()
	return s
}

func (s *skein) Size() int      { return 8 * s.v.words }
func (s *skein) BlockSize() int { return 8 * s.v.words }

func (s *skein) Reset() {
	s.h = s.g
	s.pos, s.n = 0, 0
}

func (s *skein) Write(p []byte) (int, error) {
	total, bs := len(p), 8*s.v.words
	for len(p) > 0 {
		if s.n == bs {
			s.msgBlock(s.buf[:bs], false)
			s.n = 0
		}
		for s.n == 0 && len(p) > bs {
			s.pos += uint64(bs)
			s.msgBlock(p[:bs], false)
			p = p[bs:]
		}
		c := copy(s.buf[s.n:bs], p)
		s.n += c
		s.pos += uint64(c)
		p = p[c:]
	}
	return total, nil
}

// msgBlock processes one message block whose last byte is at s.pos.
func (s *skein) msgBlock(b []byte, final bool) {
	tweak := uint64(skeinTypeMsg) << 56
	if s.pos <= uint64(8*s.v.words) {
		tweak |= skeinFirst
	}
	if final {
		tweak |= skeinFinal
	}
	s.ubiBlock(&s.h, b, s.pos, tweak)
}

func (s *skein) Sum(b []byte) []byte {
	e := *s
	bs := 8 * e.v.words
	clear(e.buf[e.n:bs])
	e.msgBlock(e.buf[:bs], true)
	var ctr [64]byte // output block 0
	e.ubiBlock(&e.h, ctr[:bs], 8, skeinTypeOut<<56|skeinFirst|skeinFinal)
	var out [64]byte
	for i := 0; i < e.v.words; i++ {
		binary.LittleEndian.PutUint64(out[8*i:], e.h[i])
	}
	return append(b, out[:bs]...)
}

// ubiBlock sets *h = Threefish_h,T(block) XOR block with tweak T =
// (pos, flags).
func (s *skein) ubiBlock(h *[8]uint64, block []byte, pos, flags uint64) {
	nw := s.v.words
	var m, x [8]uint64
	for i := 0; i < nw; i++ {
		m[i] = binary.LittleEndian.Uint64(block[8*i:])
	}
	var k [9]uint64
	copy(k[:], h[:nw])
	k[nw] = skeinKeyParity
	for i := 0; i < nw; i++ {
		k[nw] ^= k[i]
	}
	t := [3]uint64{pos, flags, pos ^ flags}
	inject := func(sk int) {
		for i := 0; i < nw; i++ {
			x[i] += k[(sk+i)%(nw+1)]
		}
		x[nw-3] += t[sk%3]
		x[nw-2] += t[(sk+1)%3]
		x[nw-1] += uint64(sk)
	}
	x = m
	var y [8]uint64
	for d := 0; d < threefishRounds; d++ {
		if d%4 == 0 {
			inject(d / 4)
		}
		r := &s.v.rot[d%8]
		for j := 0; j < nw/2; j++ {
			a, c := x[2*j], x[2*j+1]
			a += c
			c = bits.RotateLeft64(c, r[j]) ^ a
			x[2*j], x[2*j+1] = a, c
		}
		for i := 0; i < nw; i++ {
			y[i] = x[s.v.perm[i]]
		}
		x = y
	}
	inject(threefishRounds / 4)
	for i := 0; i < nw; i++ {
		h[i] = x[i] ^ m[i]
	}
}
