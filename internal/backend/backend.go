package backend

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"

	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/blake2s"

	"github.com/troveproject/trove/internal/key"
)

// Backend is one git-annex key-value backend, such as SHA256E or WORM.
// Backends are immutable and safe for concurrent use.
type Backend struct {
	name          string
	ext           bool
	cryptographic bool
	newHash       func() hash.Hash // nil for WORM and URL
}

// Name returns the backend's git-annex name, e.g. "SHA256E"; it is also the
// Variety of the keys the backend makes.
func (b *Backend) Name() string { return b.name }

// HasExtension reports whether the backend's keys carry the file's extension
// after the digest (the *E backends).
func (b *Backend) HasExtension() bool { return b.ext }

// IsHash reports whether keys of the backend are a digest of the content, so
// that content can be verified against them. It is false for WORM and URL.
func (b *Backend) IsHash() bool { return b.newHash != nil }

// Cryptographic reports whether the backend's hash is considered secure by
// git-annex (annex.securehashesonly, the securehash preferred-content term).
// It is false for SHA1, MD5, WORM and URL.
func (b *Backend) Cryptographic() bool { return b.cryptographic }

// NewHash returns a fresh hash state for the backend, or nil when the backend
// is not a hash (WORM, URL).
func (b *Backend) NewHash() hash.Hash {
	if b.newHash == nil {
		return nil
	}
	return b.newHash()
}

// KeyFromSum builds the key for content of the given size whose digest under
// this backend is sum. The key name is the lower-case hex digest, followed for
// *E backends by SelectExtension(filename, maxExtLen). maxExtLen is taken
// literally (annex.maxextensionlength; pass DefaultMaxExtensionLength when
// unset). KeyFromSum must only be called on hash backends.
func (b *Backend) KeyFromSum(sum []byte, size int64, filename string, maxExtLen int) key.Key {
	name := hex.EncodeToString(sum)
	if b.ext {
		name += SelectExtension(filename, maxExtLen)
	}
	return key.Key{Variety: b.name, Size: size, HasSize: true, Name: name}
}

// hashFamily is one hash function, listed once and expanded into its E and
// plain backends.
type hashFamily struct {
	name          string
	cryptographic bool
	newHash       func() hash.Hash
}

func blake2bSize(n int) func() hash.Hash {
	return func() hash.Hash {
		h, err := blake2b.New(n, nil)
		if err != nil {
			panic(fmt.Sprintf("backend: blake2b size %d: %v", n, err))
		}
		return h
	}
}

func blake2sSize(n int) func() hash.Hash {
	return func() hash.Hash { return newBlake2(blake2sFlavour, sequential(n)) }
}

func blake2s256() hash.Hash {
	h, err := blake2s.New256(nil)
	if err != nil {
		panic(fmt.Sprintf("backend: blake2s-256: %v", err))
	}
	return h
}

// families lists the hash functions in the order `git annex version` lists
// their backends.
var families = []hashFamily{
	{"SHA256", true, sha256.New},
	{"SHA512", true, sha512.New},
	{"SHA224", true, sha256.New224},
	{"SHA384", true, sha512.New384},
	{"SHA3_256", true, func() hash.Hash { return sha3.New256() }},
	{"SHA3_512", true, func() hash.Hash { return sha3.New512() }},
	{"SHA3_224", true, func() hash.Hash { return sha3.New224() }},
	{"SHA3_384", true, func() hash.Hash { return sha3.New384() }},
	{"SKEIN256", true, func() hash.Hash { return newSkein(skein256) }},
	{"SKEIN512", true, func() hash.Hash { return newSkein(skein512) }},
	{"BLAKE2B256", true, blake2bSize(32)},
	{"BLAKE2B512", true, blake2bSize(64)},
	{"BLAKE2B160", true, blake2bSize(20)},
	{"BLAKE2B224", true, blake2bSize(28)},
	{"BLAKE2B384", true, blake2bSize(48)},
	{"BLAKE2BP512", true, func() hash.Hash { return newBlake2Tree(blake2bFlavour, 4, 64) }},
	{"BLAKE2S256", true, blake2s256},
	{"BLAKE2S160", true, blake2sSize(20)},
	{"BLAKE2S224", true, blake2sSize(28)},
	{"BLAKE2SP256", true, func() hash.Hash { return newBlake2Tree(blake2sFlavour, 8, 32) }},
	{"BLAKE2SP224", true, func() hash.Hash { return newBlake2Tree(blake2sFlavour, 8, 28) }},
	{"SHA1", false, sha1.New},
	{"MD5", false, md5.New},
}

// WORM and URL are the two backends that do not hash content.
var (
	wormBackend = &Backend{name: "WORM"}
	urlBackend  = &Backend{name: "URL"}
)

// all holds every backend in `git annex version` order; byName indexes it.
var all, byName = buildTable()

func buildTable() ([]*Backend, map[string]*Backend) {
	var list []*Backend
	for _, f := range families {
		list = append(list,
			&Backend{name: f.name + "E", ext: true, cryptographic: f.cryptographic, newHash: f.newHash},
			&Backend{name: f.name, cryptographic: f.cryptographic, newHash: f.newHash},
		)
	}
	list = append(list, wormBackend, urlBackend)
	m := make(map[string]*Backend, len(list))
	for _, b := range list {
		m[b.name] = b
	}
	return list, m
}

// Lookup returns the backend with the exact git-annex name (case-sensitive).
// The error names the unknown backend and lists the valid names. External
// backends (X*) are not supported.
func Lookup(name string) (*Backend, error) {
	if b, ok := byName[name]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("unknown backend %q (known backends: %s)", name, strings.Join(Names(), " "))
}

// Default returns SHA256E, git-annex's default backend.
func Default() *Backend { return byName["SHA256E"] }

// Names returns the names of all backends in the order `git annex version`
// lists them. The caller may modify the returned slice.
func Names() []string {
	names := make([]string, len(all))
	for i, b := range all {
		names[i] = b.name
	}
	return names
}
