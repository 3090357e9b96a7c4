// Package key implements git-annex keys: the names under which annexed
// content is stored. It parses and serialises the key format of git-annex v10
// (BACKEND[-sSIZE][-mMTIME][-SCHUNKSIZE-CCHUNKNUM]--NAME), escapes keys into
// file names, and computes the two hash-directory schemes git-annex uses.
//
// The package is pure: it does no I/O.
package key

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Key is a parsed git-annex key. The zero value is not a valid key.
// Key is comparable and can be used as a map key.
type Key struct {
	// Variety is the backend name, e.g. "SHA256E", "URL", "WORM", "GPGHMACSHA1".
	Variety string
	// Size is the content size in bytes, meaningful only when HasSize.
	Size    int64
	HasSize bool
	// Mtime is the modification time in seconds, meaningful only when HasMtime.
	Mtime    int64
	HasMtime bool
	// ChunkSize and ChunkNum are both non-zero on chunk keys, both zero otherwise.
	ChunkSize int64
	ChunkNum  int64
	// Name is everything after "--": a digest, digest plus extension, or a
	// sanitised URL or path. It never contains a newline.
	Name string
}

// ErrInvalid is wrapped by every parse error.
var ErrInvalid = errors.New("invalid key")

// maxExtensionBytes is the longest extension an *E key may carry on parse.
const maxExtensionBytes = 64

// Parse parses a serialised key. It is strict in the way git-annex is: fields
// must appear in the order s, m, S, C, each with decimal digits only.
func Parse(s string) (Key, error) {
	k, ok := parse(s)
	if !ok {
		return Key{}, fmt.Errorf("%w: %q", ErrInvalid, s)
	}
	return k, nil
}

func parse(s string) (Key, bool) {
	var k Key
	i := strings.IndexByte(s, '-')
	if i <= 0 {
		return k, false
	}
	k.Variety = s[:i]
	rest := s[i:]
	order := "smSC"
	for {
		if strings.HasPrefix(rest, "--") {
			break
		}
		if len(rest) < 3 || rest[0] != '-' {
			return k, false
		}
		f := rest[1]
		pos := strings.IndexByte(order, f)
		if pos < 0 {
			return k, false
		}
		order = order[pos+1:]
		j := 2
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j == 2 || j-2 > 18 {
			return k, false
		}
		n, err := strconv.ParseInt(rest[2:j], 10, 64)
		if err != nil {
			return k, false
		}
		switch f {
		case 's':
			k.Size, k.HasSize = n, true
		case 'm':
			k.Mtime, k.HasMtime = n, true
		case 'S':
			k.ChunkSize = n
		case 'C':
			k.ChunkNum = n
		}
		rest = rest[j:]
	}
	k.Name = rest[2:]
	if strings.IndexByte(k.Name, '\n') >= 0 {
		return k, false
	}
	if (k.ChunkSize == 0) != (k.ChunkNum == 0) {
		return k, false
	}
	if HasExtension(k.Variety) {
		if d := strings.IndexByte(k.Name, '.'); d >= 0 && len(k.Name)-d > maxExtensionBytes {
			return k, false
		}
	}
	return k, true
}

// HasExtension reports whether keys of the backend variety carry a file
// extension after their digest (SHA256E, X…E, and unknown varieties ending in E).
func HasExtension(variety string) bool {
	return strings.HasSuffix(variety, "E")
}

// String serialises the key canonically.
func (k Key) String() string {
	var b strings.Builder
	b.Grow(len(k.Variety) + len(k.Name) + 24)
	b.WriteString(k.Variety)
	if k.HasSize {
		b.WriteString("-s")
		b.WriteString(strconv.FormatInt(k.Size, 10))
	}
	if k.HasMtime {
		b.WriteString("-m")
		b.WriteString(strconv.FormatInt(k.Mtime, 10))
	}
	if k.IsChunk() {
		b.WriteString("-S")
		b.WriteString(strconv.FormatInt(k.ChunkSize, 10))
		b.WriteString("-C")
		b.WriteString(strconv.FormatInt(k.ChunkNum, 10))
	}
	b.WriteString("--")
	b.WriteString(k.Name)
	return b.String()
}

// IsZero reports whether k is the zero Key.
func (k Key) IsZero() bool { return k == Key{} }

// IsChunk reports whether k names one chunk of a larger key.
func (k Key) IsChunk() bool { return k.ChunkNum != 0 }

// NonChunk returns k without its chunk fields.
func (k Key) NonChunk() Key {
	k.ChunkSize, k.ChunkNum = 0, 0
	return k
}

// Chunk returns the key of chunk number n (1-based) of size chunkSize of k.
func (k Key) Chunk(chunkSize, n int64) Key {
	k.ChunkSize, k.ChunkNum = chunkSize, n
	return k
}

// HashName returns the part of Name before its first '.': the digest of hash
// keys, without the extension.
func (k Key) HashName() string {
	if i := strings.IndexByte(k.Name, '.'); i >= 0 {
		return k.Name[:i]
	}
	return k.Name
}
