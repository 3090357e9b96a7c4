package backend

// blake2Params is the BLAKE2 parameter block (RFC 7693 §2.5 and the BLAKE2
// paper §2.8) in the fields git-annex's backends use; keys, salt and
// personalisation are never used and stay zero.
type blake2Params struct {
	digestLen  int    // bytes of output; also recorded in the parameter block
	fanout     byte   // 1 for sequential hashing
	depth      byte   // 1 for sequential hashing
	nodeOffset uint64 // leaf index in tree modes
	nodeDepth  byte   // 0 for leaves, 1 for the root
	innerLen   byte   // leaf output length in tree modes
	lastNode   bool   // set on the last node of a tree level
	outLen     int    // bytes Sum returns; digestLen unless a tree leaf
}

// sequential returns the parameters of plain BLAKE2 with an n-byte digest.
func sequential(n int) blake2Params {
	return blake2Params{digestLen: n, fanout: 1, depth: 1, outLen: n}
}
