package annex

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFileNameBytes is the file name length limit git-annex assumes for
// names made from URLs (fileNameLengthLimit on common file systems).
const maxFileNameBytes = 255

// URLFileName returns the work tree file name git-annex's addurl makes
// from rawURL (url2file): the host, path and query, sanitized into one
// name ("http://example.com/a/b.dat" -> "example.com_a_b.dat",
// "file:///tmp/f" -> "_tmp_f"); with a path depth, only that many path
// components are kept as directories (depth > 0 drops that many from the
// front, depth < 0 keeps that many from the end). A depth of 0 is an error.
func URLFileName(rawURL string, depth int, hasDepth bool) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("bad uri %s", rawURL)
	}
	full := regName(u.Host) + u.EscapedPath()
	if u.RawQuery != "" || u.ForceQuery {
		full += "?" + u.RawQuery
	}
	if !hasDepth {
		return truncateName(SanitizeFileName(full), maxFileNameBytes), nil
	}
	var bits []string
	for _, b := range strings.Split(full, "/") {
		if b != "" {
			bits = append(bits, truncateName(SanitizeFileName(b), maxFileNameBytes))
		}
	}
	switch {
	case len(bits) == 0:
		return "", fmt.Errorf("bad uri %s", rawURL)
	case depth >= len(bits):
	case depth > 0:
		bits = bits[depth:]
	case depth < 0:
		bits = bits[max(0, len(bits)+depth):]
	default:
		return "", fmt.Errorf("bad --pathdepth")
	}
	return strings.Join(bits, "/"), nil
}

// regName is the host of an authority without the port, IPv6 brackets
// kept (Network.URI's uriRegName).
func regName(host string) string {
	if strings.HasPrefix(host, "[") {
		if i := strings.IndexByte(host, ']'); i >= 0 {
			return host[:i+1]
		}
		return host
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		return host[:i]
	}
	return host
}

// SanitizeFileName makes an untrusted string safe as one file name, as
// git-annex's sanitizeFilePath: spaces, punctuation, symbols, control
// characters and '/' become '_' ('.' and '-' are kept), a leading '.',
// '-' or '/' becomes '_', and "" becomes "file".
func SanitizeFileName(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c == '.' || c == '-':
		case unicode.IsSpace(c) || unicode.IsPunct(c) || unicode.IsSymbol(c) || unicode.IsControl(c) || c == '/':
			c = '_'
		}
		b.WriteRune(c)
	}
	out := b.String()
	switch {
	case out == "":
		return "file"
	case out[0] == '.' || out[0] == '-' || out[0] == '/':
		return "_" + out[1:]
	}
	return out
}

// truncateName keeps the longest prefix of s of at most n bytes that ends
// on a character boundary.
func truncateName(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
