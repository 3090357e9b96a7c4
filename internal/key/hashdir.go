package key

import (
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
)

const mixedAlphabet = "0123456789zqjxkmvwgpfZQJXKMVWGPF"

// HashDirLower returns the two-level lower-case hash directory of k with a
// trailing slash, e.g. "e7d/d01/". It is used for git-annex branch logs, bare
// repositories and special remotes. Chunk fields do not affect it.
func (k Key) HashDirLower() string {
	h := k.md5Hex()
	return h[0:3] + "/" + h[3:6] + "/"
}

// HashDirLower1 is the one-level variant used with annex.tune.objecthash1 and
// annex.tune.branchhash1, e.g. "e7d/".
func (k Key) HashDirLower1() string {
	return k.md5Hex()[0:3] + "/"
}

// HashDirMixed returns the two-level mixed-case hash directory of k with a
// trailing slash, e.g. "J7/0G/". It is used for .git/annex/objects of
// non-bare repositories and by the external protocol's DIRHASH.
func (k Key) HashDirMixed() string {
	c := k.mixedChars()
	return string([]byte{c[1], c[0], '/', c[3], c[2], '/'})
}

// HashDirMixed1 is the one-level variant of HashDirMixed, e.g. "J7/".
func (k Key) HashDirMixed1() string {
	c := k.mixedChars()
	return string([]byte{c[1], c[0], '/'})
}

func (k Key) md5Sum() [16]byte { return md5.Sum([]byte(k.NonChunk().String())) }

func (k Key) md5Hex() string {
	s := k.md5Sum()
	return hex.EncodeToString(s[:])
}

func (k Key) mixedChars() [4]byte {
	s := k.md5Sum()
	w := binary.LittleEndian.Uint32(s[0:4])
	var c [4]byte
	for x := range c {
		c[x] = mixedAlphabet[(w>>(6*uint(x)))&31]
	}
	return c
}
