package chunk

import (
	"strconv"
	"strings"
	"unicode"
)

// LegacyCountSuffix is appended to a legacy-chunked object's base path to
// name the file holding its chunk count.
const LegacyCountSuffix = ".chunkcount"

// LegacyChunkName is the file of legacy chunk n (1-based) of the object
// whose unchunked file would be base: base + ".chunk" + n.
func LegacyChunkName(base string, n int64) string {
	return base + ".chunk" + strconv.FormatInt(n, 10)
}

// LegacyCountName is the file holding the chunk count of the object whose
// unchunked file would be base: base + ".chunkcount".
func LegacyCountName(base string) string { return base + LegacyCountSuffix }

// LegacyChunkNames returns the files of chunks 1..count of base.
func LegacyChunkNames(base string, count int64) []string {
	names := make([]string, 0, max(count, 0))
	for n := int64(1); n <= count; n++ {
		names = append(names, LegacyChunkName(base, n))
	}
	return names
}

// ParseLegacyCount reads the content of a .chunkcount file ("3", as
// git-annex writes it, without a newline) the way git-annex's readish
// does: leading white space is skipped, an optionally signed decimal
// number is read, and anything after it is ignored. Content that does not
// start with a number, or a negative count, yields 0 (no chunks).
func ParseLegacyCount(content []byte) int64 {
	s := strings.TrimLeftFunc(string(content), unicode.IsSpace)
	end := 0
	if end < len(s) && s[end] == '-' {
		end++
	}
	digits := end
	for end < len(s) && isDigit(s[end]) {
		end++
	}
	if end == digits || numberGoesOn(s[end:]) {
		return 0
	}
	n, err := strconv.ParseInt(s[:end], 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// numberGoesOn reports whether rest continues the number before it as a
// fraction or an exponent ("3.5", "3e2"): Haskell's reads lexes those as
// one number, which is then not an integer, so readish fails.
func numberGoesOn(rest string) bool {
	if len(rest) >= 2 && rest[0] == '.' && isDigit(rest[1]) {
		return true
	}
	if len(rest) >= 2 && (rest[0] == 'e' || rest[0] == 'E') {
		r := rest[1:]
		if r[0] == '+' || r[0] == '-' {
			r = r[1:]
		}
		return len(r) > 0 && isDigit(r[0])
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// ProbeLegacy finds the legacy chunks of base when there is no
// .chunkcount file, as git-annex's probeChunks does: chunk files 1, 2, ...
// as long as exists reports them. It returns nil when chunk 1 is missing.
func ProbeLegacy(base string, exists func(name string) bool) []string {
	var names []string
	for n := int64(1); ; n++ {
		name := LegacyChunkName(base, n)
		if !exists(name) {
			return names
		}
		names = append(names, name)
	}
}
