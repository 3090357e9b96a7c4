package backend

import (
	"encoding/binary"
)

// blake2Word is the word type of a BLAKE2 flavour: uint32 for BLAKE2s,
// uint64 for BLAKE2b.
type blake2Word interface{ ~uint32 | ~uint64 }

// blake2Flavour holds what differs between BLAKE2s and BLAKE2b.
type blake2Flavour[W blake2Word] struct {
	iv        [8]W
	rounds    int
	rot       [4]int // right-rotation amounts of G
	wordBytes int
}

func (f *blake2Flavour[W]) blockSize() int { return 16 * f.wordBytes }

func (f *blake2Flavour[W]) load(b []byte) W {
	if f.wordBytes == 4 {
		return W(binary.LittleEndian.Uint32(b))
	}
	return W(binary.LittleEndian.Uint64(b))
}

func (f *blake2Flavour[W]) store(b []byte, w W) {
	if f.wordBytes == 4 {
		binary.LittleEndian.PutUint32(b, uint32(w))
		return
	}
	binary.LittleEndian.PutUint64(b, uint64(w))
}

var blake2sFlavour = &blake2Flavour[uint32]{
	iv: [8]uint32{
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	},
	rounds: 10, rot: [4]int{16, 12, 8, 7}, wordBytes: 4,
}

var blake2bFlavour = &blake2Flavour[uint64]{
	iv: [8]uint64{
		0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
		0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
	},
	rounds: 12, rot: [4]int{32, 24, 16, 63}, wordBytes: 8,
}

// blake2Sigma is the message schedule shared by BLAKE2s (rounds 0-9) and
// BLAKE2b (rounds 0-11, repeating rows 0 and 1).
var blake2Sigma = [12][16]byte{
	{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
	{14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
	{11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
	{7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
	{9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
	{2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
	{12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
	{13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
	{6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
	{10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
	{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
	{14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
}

// blake2 is BLAKE2s or BLAKE2b with an arbitrary parameter block, which
// x/crypto does not offer (it has no digest-length parameter for BLAKE2s and
// no tree parameters at all). It implements hash.Hash; Sum does not change
// the state.
type blake2[W blake2Word] struct {
	f   *blake2Flavour[W]
	p   blake2Params
	h   [8]W
	t   uint64 // bytes compressed so far
	buf [128]byte
	n   int // bytes in buf; a full block stays buffered until more arrives
}

func newBlake2[W blake2Word](f *blake2Flavour[W], p blake2Params) *blake2[W] {
	d := &blake2[W]{f: f, p: p}
	d.Reset()
	return d
}

// Reset loads the parameter block into the chaining value.
func (d *blake2[W]) Reset() {
	var pb [64]byte
	pb[0] = byte(d.p.digestLen)
	pb[2] = d.p.fanout
	pb[3] = d.p.depth
	if d.f.wordBytes == 4 {
		binary.LittleEndian.PutUint64(pb[8:], d.p.nodeOffset) // 48 bits; 14 and 15 follow
		pb[14] = d.p.nodeDepth
		pb[15] = d.p.innerLen
	} else {
		binary.LittleEndian.PutUint64(pb[8:], d.p.nodeOffset)
		pb[16] = d.p.nodeDepth
		pb[17] = d.p.innerLen
	}
	for i := range d.h {
		d.h[i] = d.f.iv[i] ^ d.f.load(pb[i*d.f.wordBytes:])
	}
	d.t, d.n = 0, 0
}

func (d *blake2[W]) Size() int      { return d.p.outLen }
func (d *blake2[W]) BlockSize() int { return d.f.blockSize() }

func (d *blake2[W]) Write(p []byte) (int, error) {
	total, bs := len(p), d.f.blockSize()
	for len(p) > 0 {
		if d.n == bs {
			d.t += uint64(bs)
			d.compress(d.buf[:bs], false)
			d.n = 0
		}
		for d.n == 0 && len(p) > bs {
			d.t += uint64(bs)
			d.compress(p[:bs], false)
			p = p[bs:]
		}
		c := copy(d.buf[d.n:bs], p)
		d.n += c
		p = p[c:]
	}
	return total, nil
}

func (d *blake2[W]) Sum(b []byte) []byte {
	e := *d
	bs := e.f.blockSize()
	clear(e.buf[e.n:bs])
	e.t += uint64(e.n)
	e.compress(e.buf[:bs], true)
	var out [64]byte
	for i, w := range e.h {
		e.f.store(out[i*e.f.wordBytes:], w)
	}
	return append(b, out[:d.p.outLen]...)
}

func (d *blake2[W]) compress(block []byte, final bool) {
	f := d.f
	var m [16]W
	for i := range m {
		m[i] = f.load(block[i*f.wordBytes:])
	}
	var v [16]W
	copy(v[:8], d.h[:])
	copy(v[8:], f.iv[:])
	bits := 8 * f.wordBytes
	v[12] ^= W(d.t)
	if bits == 32 {
		v[13] ^= W(d.t >> 32)
	}
	if final {
		v[14] = ^v[14]
		if d.p.lastNode {
			v[15] = ^v[15]
		}
	}
	r0, r1, r2, r3 := f.rot[0], f.rot[1], f.rot[2], f.rot[3]
	rotr := func(x W, n int) W { return x>>n | x<<(bits-n) }
	g := func(a, b, c, e int, x, y W) {
		v[a] += v[b] + x
		v[e] = rotr(v[e]^v[a], r0)
		v[c] += v[e]
		v[b] = rotr(v[b]^v[c], r1)
		v[a] += v[b] + y
		v[e] = rotr(v[e]^v[a], r2)
		v[c] += v[e]
		v[b] = rotr(v[b]^v[c], r3)
	}
	for r := 0; r < f.rounds; r++ {
		s := &blake2Sigma[r]
		g(0, 4, 8, 12, m[s[0]], m[s[1]])
		g(1, 5, 9, 13, m[s[2]], m[s[3]])
		g(2, 6, 10, 14, m[s[4]], m[s[5]])
		g(3, 7, 11, 15, m[s[6]], m[s[7]])
		g(0, 5, 10, 15, m[s[8]], m[s[9]])
		g(1, 6, 11, 12, m[s[10]], m[s[11]])
		g(2, 7, 8, 13, m[s[12]], m[s[13]])
		g(3, 4, 9, 14, m[s[14]], m[s[15]])
	}
	for i := range d.h {
		d.h[i] ^= v[i] ^ v[i+8]
	}
}
