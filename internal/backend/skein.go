package backend

import "encoding/binary"

// skeinVariant is one Skein state size: Nw words and its Threefish.
type skeinVariant struct {
	words     int // Nw: 4 for Skein-256, 8 for Skein-512
	threefish func(k *[9]uint64, t *[3]uint64, x *[8]uint64)
}

var (
	skein256 = &skeinVariant{words: 4, threefish: threefish256}
	skein512 = &skeinVariant{words: 8, threefish: threefish512}
)

// Skein UBI block types and tweak flags.
const (
	skeinTypeCfg = 4
	skeinTypeMsg = 48
	skeinTypeOut = 63
	skeinFirst   = 1 << 62
	skeinFinal   = 1 << 63
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
	var m [8]uint64
	for i := 0; i < nw; i++ {
		m[i] = binary.LittleEndian.Uint64(block[8*i:])
	}
	var k [9]uint64
	copy(k[:], h[:nw])
	t := [3]uint64{pos, flags}
	x := m
	s.v.threefish(&k, &t, &x)
	for i := 0; i < nw; i++ {
		h[i] = x[i] ^ m[i]
	}
}
