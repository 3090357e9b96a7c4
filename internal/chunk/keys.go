package chunk

import (
	"strings"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/key"
)

// Count is the number of chunks of chunkSize bytes that content of size
// bytes is stored in: ceil(size/chunkSize), and 1 for empty content (an
// empty file is stored as one empty chunk). chunkSize must be positive.
func Count(size, chunkSize int64) int64 {
	if size <= 0 {
		return 1
	}
	return (size-1)/chunkSize + 1
}

// Keys returns the keys of chunks 1..count of k in chunks of chunkSize
// bytes ("SHA256E-s12-S5-C1--…", "…-S5-C2--…", ...). k's own size and
// mtime fields are kept.
func Keys(k key.Key, chunkSize, count int64) []key.Key {
	ks := make([]key.Key, count)
	for i := range ks {
		ks[i] = k.Chunk(chunkSize, int64(i)+1)
	}
	return ks
}

// Offset is where chunk key ck's content starts in the whole content:
// (n-1)*chunkSize; 0 for a key that is not a chunk.
func Offset(ck key.Key) int64 {
	if !ck.IsChunk() {
		return 0
	}
	return (ck.ChunkNum - 1) * ck.ChunkSize
}

// Len is the length of chunk n (1-based) of content of size bytes cut in
// chunks of chunkSize bytes: chunkSize, except for a shorter last chunk.
func Len(size, chunkSize, n int64) int64 {
	rest := size - (n-1)*chunkSize
	return max(0, min(rest, chunkSize))
}

// Stable reports whether k's backend produces the same key for the same
// content every time, which git-annex requires of keys it chunks: the
// hash backends and WORM are stable, URL keys are not. Keys of unknown or
// external (X…) backends are treated as unstable, as git-annex treats
// backends it cannot find; unstable keys are stored whole even on a
// chunked remote. Chunk keys themselves are never chunked again.
func Stable(k key.Key) bool {
	if k.IsChunk() || strings.HasPrefix(k.Variety, "X") {
		return false
	}
	b, err := backend.Lookup(k.Variety)
	return err == nil && b.Name() != "URL"
}
