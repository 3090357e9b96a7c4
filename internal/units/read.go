package units

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
)

// ReadNumber reads a number from the start of s the way Haskell's
// reads :: ReadS Double does, which is how git-annex reads numbers: leading
// white space is skipped; then an optional '-'; then a decimal literal
// (digits, optional '.' digits, optional exponent), a hexadecimal (0x) or
// octal (0o) integer, or the words Infinity and NaN. It returns the value,
// whether the literal was integral (no fraction or exponent part, as
// Haskell's reads :: ReadS Integer requires), and the unread rest of s.
// ok is false when s does not start with a number.
func ReadNumber(s string) (v float64, integral bool, rest string, ok bool) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	neg := false
	if strings.HasPrefix(s, "-") {
		neg = true
		s = strings.TrimLeftFunc(s[1:], unicode.IsSpace)
	}
	v, integral, rest, ok = readUnsigned(s)
	if !ok {
		return 0, false, s, false
	}
	if neg {
		v = -v
	}
	return v, integral, rest, true
}

// ReadInt reads an integer as Haskell's reads :: ReadS Int (git-annex's
// readish): like ReadNumber, but a literal with a fraction or exponent is
// not an integer. Values beyond int64 saturate.
func ReadInt(s string) (n int64, rest string, ok bool) {
	v, integral, rest, ok := ReadNumber(s)
	if !ok || !integral || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, s, false
	}
	return saturate(v), rest, true
}

func readUnsigned(s string) (float64, bool, string, bool) {
	if len(s) > 2 && s[0] == '0' {
		switch s[1] {
		case 'x', 'X':
			if v, rest, ok := readBase(s[2:], 16); ok {
				return v, true, rest, true
			}
		case 'o', 'O':
			if v, rest, ok := readBase(s[2:], 8); ok {
				return v, true, rest, true
			}
		}
	}
	if word := identifier(s); word != "" {
		switch word {
		case "Infinity":
			return math.Inf(1), false, s[len(word):], true
		case "NaN":
			return math.NaN(), false, s[len(word):], true
		}
		return 0, false, s, false
	}
	i := digitsEnd(s, 0, 10)
	if i == 0 {
		return 0, false, s, false
	}
	integral := true
	if i < len(s) && s[i] == '.' {
		if j := digitsEnd(s, i+1, 10); j > i+1 {
			i = j
			integral = false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if k := digitsEnd(s, j, 10); k > j {
			i = k
			integral = false
		}
	}
	v, err := strconv.ParseFloat(s[:i], 64)
	if err != nil && !math.IsInf(v, 0) {
		return 0, false, s, false
	}
	return v, integral, s[i:], true
}

func readBase(s string, base int) (float64, string, bool) {
	i := digitsEnd(s, 0, base)
	if i == 0 {
		return 0, s, false
	}
	n, ok := new(big.Int).SetString(s[:i], base)
	if !ok {
		return 0, s, false
	}
	f, _ := new(big.Float).SetInt(n).Float64()
	return f, s[i:], true
}

func digitsEnd(s string, i, base int) int {
	for i < len(s) {
		d := digitValue(s[i])
		if d < 0 || d >= base {
			break
		}
		i++
	}
	return i
}

func digitValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// identifier returns the Haskell identifier s starts with, if any.
func identifier(s string) string {
	for i, r := range s {
		if i == 0 && !unicode.IsLetter(r) {
			return ""
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '\'' {
			return s[:i]
		}
	}
	return s
}

// saturate rounds v half to even and clamps it to int64. NaN becomes
// math.MinInt64: Haskell rounds NaN to a huge negative Integer.
func saturate(v float64) int64 {
	r := math.RoundToEven(v)
	switch {
	case math.IsNaN(r) || r <= math.MinInt64:
		return math.MinInt64
	case r >= math.MaxInt64:
		return math.MaxInt64
	}
	return int64(r)
}
