package backend

import (
	"crypto/md5"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/troveproject/trove/internal/key"
)

// maxKeyNameBytes is the longest input genKeyName keeps whole (the length
// of a hex SHA-256 digest); longer inputs are truncated and suffixed with
// the MD5 of the whole input.
const maxKeyNameBytes = 64

// SanitizeKeyName turns a path or URL into a key name the way git-annex's
// genKeyName does. ASCII letters, digits and . - _ / % : are kept, ',' is
// doubled, and every other character becomes ',' and its decimal code point
// (a byte that is not valid UTF-8 becomes the code point 0xDC00+byte, as
// git-annex's file-system encoding does). When s is longer than 64 bytes the
// result is the first 31 bytes of the sanitised form, '-', and the hex MD5
// of s. The result is ASCII and never contains a newline.
func SanitizeKeyName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			r = 0xDC00 + rune(s[i])
		}
		i += n
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '.', r == '-', r == '_', r == '/', r == '%', r == ':':
			b.WriteRune(r)
		case r == ',':
			b.WriteString(",,")
		default:
			b.WriteByte(',')
			b.WriteString(strconv.Itoa(int(r)))
		}
	}
	out := b.String()
	if len(s) <= maxKeyNameBytes {
		return out
	}
	sum := md5.Sum([]byte(s))
	const keep = maxKeyNameBytes - 2*md5.Size - 1
	return out[:keep] + "-" + hex.EncodeToString(sum[:])
}

// WORMKey returns the WORM key of a file: its size, its modification time
// in whole seconds, and its path relative to the top of the work tree
// (with '/' separators) passed through SanitizeKeyName.
func WORMKey(relPath string, size, mtime int64) key.Key {
	return key.Key{
		Variety: wormBackend.name,
		Size:    size, HasSize: true,
		Mtime: mtime, HasMtime: true,
		Name: SanitizeKeyName(relPath),
	}
}

// URLKey returns the URL key of url, with a size field only when hasSize.
func URLKey(url string, size int64, hasSize bool) key.Key {
	k := key.Key{Variety: urlBackend.name, Name: SanitizeKeyName(url)}
	if hasSize {
		k.Size, k.HasSize = size, true
	}
	return k
}
