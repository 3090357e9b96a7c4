package crypto

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"sync"
)

// inflate decompresses a whole raw deflate stream (RFC 1951) held in
// memory, appending to dst; it fails rather than grow the output past max
// bytes. Where klauspost's streaming decoder reads a byte at a time
// through a bufio.Reader and keeps a sliding window, this one reads the
// input eight bytes at a time into a 64-bit bit buffer and copies matches
// inside dst, about twice as fast on what gpg writes (incompressible
// content in dynamic-Huffman blocks). Bytes after the final block are
// ignored, as the streaming decoder does.
func inflate(dst, src []byte, max int) ([]byte, error) {
	d := inflater{in: src, out: dst, max: len(dst) + max}
	for {
		d.need(3)
		final := d.buf&1 != 0
		typ := d.buf >> 1 & 3
		d.drop(3)
		var err error
		switch typ {
		case 0:
			err = d.stored()
		case 1:
			fixed := fixedTables()
			err = d.huffman(fixed.lit, fixed.dist)
		case 2:
			var t *huffTables
			if t, err = d.dynamicTables(); err == nil {
				err = d.huffman(t.lit, t.dist)
				tablePool.Put(t)
			}
		default:
			err = errors.New("deflate: reserved block type")
		}
		if err == nil && d.over() {
			err = errInflateEOF
		}
		if err != nil {
			return d.out, err
		}
		if final {
			return d.out, nil
		}
	}
}

var (
	errInflateEOF   = errors.New("deflate: unexpected end of the compressed data")
	errInflateCode  = errors.New("deflate: invalid Huffman code")
	errInflateDist  = errors.New("deflate: distance beyond the start of the output")
	errInflateLarge = errors.New("deflate: output larger than expected")
)

// inflater is the state of one inflate call. buf holds n unread bits of
// the input, lowest first; pos is the next input byte to load (it runs
// past the end by the zero bytes loaded there, which over reports).
type inflater struct {
	in  []byte
	pos int
	buf uint64
	n   uint
	out []byte
	max int
}

// refill loads input bytes until buf holds at least 56 bits.
func (d *inflater) refill() {
	if d.pos+8 <= len(d.in) {
		d.buf |= binary.LittleEndian.Uint64(d.in[d.pos:]) << d.n
		d.pos += int(63-d.n) >> 3
		d.n |= 56
		return
	}
	for d.n <= 56 {
		if d.pos < len(d.in) {
			d.buf |= uint64(d.in[d.pos]) << d.n
		}
		d.pos++
		d.n += 8
	}
}

// need makes sure buf holds at least k (at most 56) bits.
func (d *inflater) need(k uint) {
	if d.n < k {
		d.refill()
	}
}

func (d *inflater) drop(k uint) { d.buf >>= k; d.n -= k }

// take returns the next k (at most 56) bits.
func (d *inflater) take(k uint) uint32 {
	d.need(k)
	v := uint32(d.buf & (1<<k - 1))
	d.drop(k)
	return v
}

// over reports whether more bits were used than the input holds.
func (d *inflater) over() bool {
	return d.pos > len(d.in) && uint(d.pos-len(d.in))*8 > d.n
}

// stored copies a stored block.
func (d *inflater) stored() error {
	d.drop(d.n & 7) // to a byte boundary
	length := d.take(16)
	if nlength := d.take(16); length != ^nlength&0xffff {
		return errors.New("deflate: stored block length mismatch")
	}
	// Give back the whole bytes still in buf.
	start := d.pos - int(d.n/8)
	d.buf, d.n = 0, 0
	if start > len(d.in) || start+int(length) > len(d.in) {
		return errInflateEOF
	}
	if len(d.out)+int(length) > d.max {
		return errInflateLarge
	}
	d.out = append(d.out, d.in[start:start+int(length)]...)
	d.pos = start + int(length)
	return nil
}

// Length and distance symbols: base values and extra bits (RFC 1951
// section 3.2.5).
var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint32{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// huffman decodes the symbols of one compressed block. The bit buffer
// and the output live in locals through the loop (the hot path of
// decryption): ob is the output's room (up to the limit), o the length
// written.
func (d *inflater) huffman(lit, dist *huffTable) (err error) {
	in, pos, buf, n := d.in, d.pos, d.buf, d.n
	ob, o := d.room(0), len(d.out)
	lt, lmask, lbits := lit.t, uint64(1)<<lit.primaryBits-1, lit.primaryBits
	defer func() { d.pos, d.buf, d.n, d.out = pos, buf, n, ob[:o] }()
	for {
		// 48 bits: a length code and its extra bits, a distance code
		// and its extra bits.
		if n < 48 {
			if pos+8 <= len(in) {
				buf |= binary.LittleEndian.Uint64(in[pos:]) << n
				pos += int(63-n) >> 3
				n |= 56
			} else {
				d.pos, d.buf, d.n = pos, buf, n
				d.refill()
				pos, buf, n = d.pos, d.buf, d.n
				if pos > len(in)+8 {
					return errInflateEOF
				}
			}
		}
		e := lt[buf&lmask]
		if e&linkFlag != 0 {
			e = lt[uint(e>>16)+uint(buf>>lbits)&(1<<(e>>8&0xf)-1)]
		}
		k := uint(e & 0x1f)
		if k == 0 {
			return errInflateCode
		}
		buf >>= k
		n -= k
		sym := e >> 16
		if sym < 256 {
			if o >= len(ob) {
				d.out = ob[:o]
				more := d.room(1)
				if more == nil {
					return errInflateLarge
				}
				ob = more
			}
			ob[o] = byte(sym)
			o++
			continue
		}
		if sym == 256 {
			return nil
		}
		sym -= 257
		if sym >= 29 {
			return errInflateCode
		}
		x := uint(lengthExtra[sym])
		length := int(lengthBase[sym]) + int(buf&(1<<x-1))
		buf >>= x
		n -= x
		dsym, k := dist.decode(buf)
		if k == 0 || dsym >= 30 {
			return errInflateCode
		}
		buf >>= k
		n -= k
		x = uint(distExtra[dsym])
		distance := int(distBase[dsym]) + int(buf&(1<<x-1))
		buf >>= x
		n -= x
		if distance > o {
			return errInflateDist
		}
		if o+length > len(ob) {
			d.out = ob[:o]
			more := d.room(length)
			if more == nil {
				return errInflateLarge
			}
			ob = more
		}
		from := o - distance
		if distance >= length {
			copy(ob[o:o+length], ob[from:from+length])
		} else {
			for i := range length {
				ob[o+i] = ob[from+i]
			}
		}
		o += length
	}
}

// room returns d.out extended to its capacity, grown first when it has
// less than k bytes to spare, never past the limit: nil when k bytes
// would pass it.
func (d *inflater) room(k int) []byte {
	if len(d.out)+k > d.max {
		return nil
	}
	if cap(d.out)-len(d.out) < k {
		d.out = append(d.out, make([]byte, max(k, cap(d.out)/2, 4096))...)[:len(d.out)]
	}
	return d.out[:min(cap(d.out), d.max)]
}

// huffTable decodes one canonical Huffman code: entries are indexed by
// the next primaryBits input bits and hold sym<<16 | length (0: no such
// code), or, for codes longer than primaryBits, subBits<<8 | linkFlag
// with the index of a subtable indexed by the bits after those.
type huffTable struct {
	t           []uint32
	primaryBits uint
}

const linkFlag = 1 << 7

// decode returns the symbol at the start of buf and its code's length (0
// for bits that are no code).
func (h *huffTable) decode(buf uint64) (sym uint32, length uint) {
	e := h.t[buf&(1<<h.primaryBits-1)]
	if e&linkFlag != 0 {
		sub := uint(e >> 8 & 0xf)
		e = h.t[uint(e>>16)+uint(buf>>h.primaryBits)&(1<<sub-1)]
	}
	return e >> 16, uint(e & 0x1f)
}

// build makes the table of the code with the given code lengths (0: the
// symbol is unused). It fails for an over-subscribed code; an incomplete
// one leaves entries that decode as no code.
func (h *huffTable) build(lengths []uint8, primaryBits uint) error {
	var count [16]int
	maxLen := uint(0)
	for _, l := range lengths {
		count[l]++
		maxLen = max(maxLen, uint(l))
	}
	count[0] = 0
	left := 1
	for l := 1; l < 16; l++ {
		left = left<<1 - count[l]
		if left < 0 {
			return errors.New("deflate: over-subscribed Huffman code")
		}
	}
	var next [16]uint32
	code := uint32(0)
	for l := 1; l < 16; l++ {
		code = (code + uint32(count[l-1])) << 1
		next[l] = code
	}
	next[0] = 0
	h.primaryBits = primaryBits
	size := 1 << primaryBits
	h.t = h.t[:0]
	h.t = append(h.t, make([]uint32, size)...)
	subBits := uint(0)
	if maxLen > primaryBits {
		subBits = maxLen - primaryBits
	}
	for sym, l := range lengths {
		if l == 0 {
			continue
		}
		length := uint(l)
		rev := bits.Reverse32(next[l]) >> (32 - length)
		next[l]++
		entry := uint32(sym)<<16 | uint32(length)
		if length <= primaryBits {
			for i := rev; i < uint32(size); i += 1 << length {
				h.t[i] = entry
			}
			continue
		}
		p := rev & (1<<primaryBits - 1)
		if h.t[p]&linkFlag == 0 {
			h.t[p] = uint32(len(h.t))<<16 | uint32(subBits)<<8 | linkFlag
			h.t = append(h.t, make([]uint32, 1<<subBits)...)
		}
		base := h.t[p] >> 16
		for i := rev >> primaryBits; i < 1<<subBits; i += 1 << (length - primaryBits) {
			h.t[base+i] = entry
		}
	}
	return nil
}

// huffTables are the literal/length and distance codes of a block.
type huffTables struct{ lit, dist *huffTable }

// tablePool holds the tables of dynamic blocks, rebuilt for each block.
var tablePool = sync.Pool{New: func() any { return &huffTables{lit: &huffTable{}, dist: &huffTable{}} }}

// fixedTables are the codes of fixed-Huffman blocks (RFC 1951 section
// 3.2.6).
var fixedTables = sync.OnceValue(func() *huffTables {
	var lengths [288]uint8
	for i := range lengths {
		switch {
		case i < 144:
			lengths[i] = 8
		case i < 256:
			lengths[i] = 9
		case i < 280:
			lengths[i] = 7
		default:
			lengths[i] = 8
		}
	}
	t := &huffTables{lit: &huffTable{}, dist: &huffTable{}}
	_ = t.lit.build(lengths[:], 9)
	dist := make([]uint8, 30)
	for i := range dist {
		dist[i] = 5
	}
	_ = t.dist.build(dist, 5)
	return t
})

// codeLengthOrder is the order of the code length code's lengths.
var codeLengthOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// dynamicTables reads the code definitions of a dynamic block (RFC 1951
// section 3.2.7). The caller puts the tables back in tablePool.
func (d *inflater) dynamicTables() (*huffTables, error) {
	nlit := int(d.take(5)) + 257
	ndist := int(d.take(5)) + 1
	nclen := int(d.take(4)) + 4
	if nlit > 286 || ndist > 30 {
		return nil, errors.New("deflate: too many length or distance codes")
	}
	var clen [19]uint8
	for i := range nclen {
		clen[codeLengthOrder[i]] = uint8(d.take(3))
	}
	var cl huffTable
	cl.t = make([]uint32, 0, 1<<7)
	if err := cl.build(clen[:], 7); err != nil {
		return nil, err
	}
	var lengths [286 + 30]uint8
	for i := 0; i < nlit+ndist; {
		d.need(7 + 7)
		sym, k := cl.decode(d.buf)
		if k == 0 {
			return nil, errInflateCode
		}
		d.drop(k)
		var rep int
		var val uint8
		switch {
		case sym < 16:
			lengths[i] = uint8(sym)
			i++
			continue
		case sym == 16:
			if i == 0 {
				return nil, errors.New("deflate: repeated length with no previous length")
			}
			val, rep = lengths[i-1], 3+int(d.take(2))
		case sym == 17:
			rep = 3 + int(d.take(3))
		default:
			rep = 11 + int(d.take(7))
		}
		if i+rep > nlit+ndist {
			return nil, errors.New("deflate: code lengths run past their count")
		}
		for range rep {
			lengths[i] = val
			i++
		}
	}
	if d.over() {
		return nil, errInflateEOF
	}
	if lengths[256] == 0 {
		return nil, errors.New("deflate: no end-of-block code")
	}
	t := tablePool.Get().(*huffTables)
	if err := t.lit.build(lengths[:nlit], 10); err != nil {
		tablePool.Put(t)
		return nil, err
	}
	if err := t.dist.build(lengths[nlit:nlit+ndist], 8); err != nil {
		tablePool.Put(t)
		return nil, err
	}
	return t, nil
}
