package backend

import "strings"

// DefaultMaxExtensionLength is git-annex's default annex.maxextensionlength:
// the longest single extension component, in bytes, that *E backends keep.
const DefaultMaxExtensionLength = 4

// SelectExtension returns the extension an *E backend appends to the digest
// for filename, including its leading '.', or "" when there is none. It
// follows git-annex's selectExtension exactly: leading dots of the base name
// are ignored; the components after the first '.' are taken from the end
// while each is at most maxLen bytes; components with ASCII bytes other than
// letters and digits are skipped; at most two are kept (empty components
// count towards the two but are dropped from the result).
func SelectExtension(filename string, maxLen int) string {
	base := filename[strings.LastIndexByte(filename, '/')+1:]
	base = strings.TrimLeft(base, ".")
	dot := strings.IndexByte(base, '.')
	if dot < 0 {
		return ""
	}
	comps := strings.Split(base[dot+1:], ".")
	var picked []string // in reverse order
	for i := len(comps) - 1; i >= 0 && len(picked) < 2; i-- {
		c := comps[i]
		if len(c) > maxLen {
			break
		}
		if validExtension(c) {
			picked = append(picked, c)
		}
	}
	var b strings.Builder
	for i := len(picked) - 1; i >= 0; i-- {
		if picked[i] != "" {
			b.WriteByte('.')
			b.WriteString(picked[i])
		}
	}
	return b.String()
}

// validExtension reports whether every byte of c is an ASCII letter or digit
// or a non-ASCII byte (git-annex's validInExtension).
func validExtension(c string) bool {
	for i := 0; i < len(c); i++ {
		b := c[i]
		switch {
		case b >= 0x80, b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9':
		default:
			return false
		}
	}
	return true
}
