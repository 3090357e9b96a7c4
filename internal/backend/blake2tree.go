package backend

import "hash"

// blake2Tree is the BLAKE2bp / BLAKE2sp parallel mode of the BLAKE2 paper
// (§2.10), as in the reference blake2bp.c and blake2sp.c: the input's
// blocks are dealt round-robin to `degree` leaves (block i to leaf
// i mod degree), each leaf is hashed with fanout=degree, depth=2 and the
// full inner length, and the root hashes the leaf digests in order. The
// last leaf and the root carry the last-node flag. It implements hash.Hash.
type blake2Tree struct {
	leaves  []hash.Hash
	newRoot func() hash.Hash
	block   int64
	pos     int64
	size    int
	bsize   int
}

func newBlake2Tree[W blake2Word](f *blake2Flavour[W], degree, digestLen int) *blake2Tree {
	inner := 8 * f.wordBytes
	base := blake2Params{
		digestLen: digestLen, fanout: byte(degree), depth: 2, innerLen: byte(inner),
	}
	t := &blake2Tree{block: int64(f.blockSize()), size: digestLen, bsize: f.blockSize()}
	for i := 0; i < degree; i++ {
		p := base
		p.nodeOffset = uint64(i)
		p.outLen = inner
		p.lastNode = i == degree-1
		t.leaves = append(t.leaves, newBlake2(f, p))
	}
	t.newRoot = func() hash.Hash {
		p := base
		p.nodeDepth = 1
		p.outLen = digestLen
		p.lastNode = true
		return newBlake2(f, p)
	}
	return t
}

func (t *blake2Tree) Size() int      { return t.size }
func (t *blake2Tree) BlockSize() int { return t.bsize }

func (t *blake2Tree) Reset() {
	for _, l := range t.leaves {
		l.Reset()
	}
	t.pos = 0
}

func (t *blake2Tree) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		idx := t.pos / t.block
		n := t.block - t.pos%t.block
		if n > int64(len(p)) {
			n = int64(len(p))
		}
		t.leaves[idx%int64(len(t.leaves))].Write(p[:n])
		t.pos += n
		p = p[n:]
	}
	return total, nil
}

func (t *blake2Tree) Sum(b []byte) []byte {
	root := t.newRoot()
	var buf [64]byte
	for _, l := range t.leaves {
		root.Write(l.Sum(buf[:0]))
	}
	return root.Sum(b)
}
