package extproto

import (
	"math"
	"strconv"
	"strings"
)

// ReadInt reads an integer the way git-annex's readish does for the
// protocol's numbers (PROGRESS, VERSION, sizes): leading whitespace is
// skipped, a '-' sign, decimal digits or a 0x/0o prefixed hexadecimal or
// octal literal, and whatever follows the number is ignored ("12abc" is
// 12), unless it continues it as a fraction or exponent ("1.5", "1e3"
// are not integers). Numbers beyond int64 are rejected.
func ReadInt(s string) (int64, bool) {
	s = strings.TrimLeftFunc(s, isSpace)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	base, digits := 10, "0123456789"
	if len(s) > 2 && s[0] == '0' {
		switch s[1] {
		case 'x', 'X':
			base, digits = 16, "0123456789abcdefABCDEF"
		case 'o', 'O':
			base, digits = 8, "01234567"
		}
		if base != 10 && strings.IndexByte(digits, s[2]) >= 0 {
			s = s[2:]
		} else {
			base, digits = 10, "0123456789"
		}
	}
	n := 0
	for n < len(s) && strings.IndexByte(digits, s[n]) >= 0 {
		n++
	}
	if n == 0 {
		return 0, false
	}
	if base == 10 && continuesNumber(s[n:]) {
		return 0, false
	}
	lit := s[:n]
	if neg {
		lit = "-" + lit
	}
	v, err := strconv.ParseInt(lit, base, 64)
	return v, err == nil
}

// continuesNumber reports whether rest, following decimal digits, makes
// them a fractional number (".5", "e3", "E-2").
func continuesNumber(rest string) bool {
	if len(rest) >= 2 && rest[0] == '.' && isDigit(rest[1]) {
		return true
	}
	if len(rest) >= 2 && (rest[0] == 'e' || rest[0] == 'E') {
		r := rest[1:]
		if r[0] == '-' || r[0] == '+' {
			r = r[1:]
		}
		return len(r) > 0 && isDigit(r[0])
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// ReadFloat reads a number as git-annex's readish reads a Double (COST):
// leading whitespace, an optional '-', digits, an optional fraction and
// exponent; the rest of s is ignored.
func ReadFloat(s string) (float64, bool) {
	s = strings.TrimLeftFunc(s, isSpace)
	n := 0
	if strings.HasPrefix(s, "-") {
		n = 1
	}
	start := n
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n == start {
		return 0, false
	}
	if n+1 < len(s) && s[n] == '.' && isDigit(s[n+1]) {
		n++
		for n < len(s) && isDigit(s[n]) {
			n++
		}
	}
	if n+1 < len(s) && (s[n] == 'e' || s[n] == 'E') {
		e := n + 1
		if s[e] == '-' || s[e] == '+' {
			e++
		}
		if e < len(s) && isDigit(s[e]) {
			for e < len(s) && isDigit(s[e]) {
				e++
			}
			n = e
		}
	}
	v, err := strconv.ParseFloat(s[:n], 64)
	return v, err == nil && !math.IsInf(v, 0)
}

// ReadSize reads a CHECKURL size: "UNKNOWN" gives -1, else ReadInt.
func ReadSize(s string) (int64, bool) {
	if s == "UNKNOWN" {
		return -1, true
	}
	return ReadInt(s)
}

// FormatCost formats a cost as git-annex caches it in
// remote.NAME.annex-cost (Haskell's show for Double): "200.0", "150.5",
// and exponent notation outside [0.1, 10^7) ("1.0e-2", "1.0e7").
func FormatCost(c float64) string {
	if c == 0 {
		return "0.0"
	}
	if a := math.Abs(c); a >= 0.1 && a < 1e7 {
		s := strconv.FormatFloat(c, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(c, 'e', -1, 64) // "1e-02", "1.5e+07"
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "e" + strconv.Itoa(e)
}

// URLSize is one entry of a CHECKURL-MULTI reply.
type URLSize struct {
	URL  string
	Size int64 // -1 when UNKNOWN or unreadable
	File string
}

// ParseURLMulti splits the parameter of CHECKURL-MULTI into its
// url/size/filename triplets, as git-annex does: by whitespace, ignoring
// an incomplete last triplet; a size that does not read is unknown.
func ParseURLMulti(p string) []URLSize {
	w := strings.FieldsFunc(p, isSpace)
	var out []URLSize
	for i := 0; i+3 <= len(w); i += 3 {
		sz, ok := ReadInt(w[i+1])
		if !ok {
			sz = -1
		}
		out = append(out, URLSize{URL: w[i], Size: sz, File: w[i+2]})
	}
	return out
}

// FormatURLMulti is the inverse of ParseURLMulti (sizes below 0 are
// UNKNOWN). It does not check that the fields hold no spaces.
func FormatURLMulti(l []URLSize) string {
	parts := make([]string, 0, 3*len(l))
	for _, u := range l {
		sz := "UNKNOWN"
		if u.Size >= 0 {
			sz = strconv.FormatInt(u.Size, 10)
		}
		parts = append(parts, u.URL, sz, u.File)
	}
	return strings.Join(parts, " ")
}
