package annex

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Format is a parsed git-annex --format string: C-style escapes (\n, \t,
// \\, \xHH, \ooo) decoded, and ${var} or ${var;width} references to
// variables. A variable called escaped_NAME is NAME with C-style escapes
// applied (white space included). Unknown variables expand to "". A Format
// is immutable and safe for concurrent use.
type Format struct{ parts []formatPart }

type formatPart struct {
	lit   string
	name  string // variable name; "" for a literal
	width int    // >0 right-justify, <0 left-justify
}

// ParseFormat parses a --format string as git-annex's Utility.Format.gen
// does. Every string is a valid format; an unterminated "${" is literal.
func ParseFormat(s string) Format {
	s = decodeC(s)
	var f Format
	var lit strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			lit.WriteString(s)
			break
		}
		j := strings.IndexByte(s[i+2:], '}')
		if j < 0 {
			lit.WriteString(s)
			break
		}
		lit.WriteString(s[:i])
		if lit.Len() > 0 {
			f.parts = append(f.parts, formatPart{lit: lit.String()})
			lit.Reset()
		}
		name := s[i+2 : i+2+j]
		p := formatPart{name: name}
		if n, w, ok := strings.Cut(name, ";"); ok {
			p.name = n
			p.width, _ = strconv.Atoi(w)
		}
		if p.name == "" {
			p.name = "\x00" // ${} expands to nothing
		}
		f.parts = append(f.parts, p)
		s = s[i+2+j+1:]
	}
	if lit.Len() > 0 {
		f.parts = append(f.parts, formatPart{lit: lit.String()})
	}
	return f
}

// Expand renders f with vars.
func (f Format) Expand(vars map[string]string) string {
	var b strings.Builder
	for _, p := range f.parts {
		if p.name == "" {
			b.WriteString(p.lit)
			continue
		}
		v, ok := vars[p.name]
		if !ok {
			if base, esc := strings.CutPrefix(p.name, "escaped_"); esc {
				v = EscapeFormat(vars[base])
			}
		}
		b.WriteString(justify(v, p.width))
	}
	return b.String()
}

func justify(s string, width int) string {
	n := utf8.RuneCountInString(s)
	switch {
	case width > n:
		return strings.Repeat(" ", width-n) + s
	case -width > n:
		return s + strings.Repeat(" ", -width-n)
	}
	return s
}

// decodeC interprets C-style escapes as git-annex's decode_c does: \a \b
// \f \n \r \t \v, \xHH (two hex digits), \ooo (three octal digits); any
// other escaped character stands for itself.
func decodeC(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		rest := s[i+1:]
		if len(rest) >= 3 && rest[0] == 'x' && isHex(rest[1]) && isHex(rest[2]) {
			n, _ := strconv.ParseUint(rest[1:3], 16, 8)
			b.WriteRune(rune(n))
			i += 3
			continue
		}
		if len(rest) >= 3 && isOctal(rest[0]) && isOctal(rest[1]) && isOctal(rest[2]) {
			n, _ := strconv.ParseUint(rest[:3], 8, 16)
			b.WriteRune(rune(n))
			i += 3
			continue
		}
		if e := strings.IndexByte("abfnrtv", rest[0]); e >= 0 {
			b.WriteByte("\a\b\f\n\r\t\v"[e])
		} else {
			b.WriteByte(rest[0])
		}
		i++
	}
	return b.String()
}

func isHex(c byte) bool   { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
func isOctal(c byte) bool { return '0' <= c && c <= '7' }

// EscapeFormat applies the C-style escaping of ${escaped_...} variables as
// git-annex 10.20230126 does: named escapes for \a \b \f \n \r \t \v, \\
// and \", white space and other control characters as \ooo, characters up
// to U+00FF as the octal of their code point and larger ones as the octal
// of their UTF-8 bytes. Bytes that are not UTF-8 are escaped one by one.
func EscapeFormat(s string) string {
	var b strings.Builder
	octal := func(n int) { b.WriteString("\\" + leftPad3(strconv.FormatInt(int64(n), 8))) }
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			octal(int(s[i]))
		case r < utf8.RuneSelf:
			if e := strings.IndexByte("\a\b\f\n\r\t\v\\\"", byte(r)); e >= 0 {
				b.WriteString("\\" + string("abfnrtv\\\""[e]))
			} else if r < 0x20 || r == 0x7f || r == ' ' {
				octal(int(r))
			} else {
				b.WriteRune(r)
			}
		case r <= 0xff:
			octal(int(r))
		default:
			for _, c := range []byte(s[i : i+size]) {
				octal(int(c))
			}
		}
		i += size
	}
	return b.String()
}

func leftPad3(s string) string {
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}
