package key

import "strings"

var fileEscaper = strings.NewReplacer("&", "&a", "%", "&s", ":", "&c", "/", "%")

// File returns the key escaped for use as a file name, as git-annex's keyFile
// does: '&'→"&a", '%'→"&s", ':'→"&c", '/'→"%". It is the name of object
// files, branch log files, pointer files and directory-remote entries.
func (k Key) File() string {
	s := k.String()
	if !strings.ContainsAny(s, "&%:/") {
		return s
	}
	return fileEscaper.Replace(s)
}

// FromFile reverses File and parses the result.
func FromFile(f string) (Key, error) {
	if !strings.ContainsAny(f, "&%") {
		return Parse(f)
	}
	var b strings.Builder
	b.Grow(len(f))
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case c == '%':
			b.WriteByte('/')
		case c == '&' && i+1 < len(f):
			i++
			switch f[i] {
			case 'c':
				b.WriteByte(':')
			case 's':
				b.WriteByte('%')
			case 'a':
				b.WriteByte('&')
			default:
				b.WriteByte(f[i])
			}
		case c == '&':
			// A trailing '&' escapes nothing and is dropped, as git-annex does.
		default:
			b.WriteByte(c)
		}
	}
	return Parse(b.String())
}
