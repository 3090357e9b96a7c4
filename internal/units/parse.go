package units

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// ErrBadSize is wrapped by every ParseSize error.
var ErrBadSize = errors.New("bad size")

// ParseSize parses a size as git-annex's readSize dataUnits does: a number
// (see ReadNumber; fractions and exponents allowed), optional white space,
// then an optional unit from Data, matched case-insensitively by
// abbreviation, long name, plural long name, or abbreviation without its
// final "B" ("k" = kB, "mi" = MiB). No unit means bytes. Only the letters
// directly after the number form the unit; anything after them is ignored,
// as git-annex ignores it ("1kb2" = 1000). The result is rounded half to
// even and saturates at the int64 limits.
func ParseSize(s string) (int64, error) { return ParseSizeUnits(Data, s) }

// ParseSizeUnits is ParseSize with another unit table.
func ParseSizeUnits(units []Unit, s string) (int64, error) {
	v, _, rest, ok := ReadNumber(s)
	if !ok {
		return 0, fmt.Errorf("%w: %q", ErrBadSize, s)
	}
	rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
	end := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) })
	if end < 0 {
		end = len(rest)
	}
	mult, ok := lookupUnit(units, rest[:end])
	if !ok {
		return 0, fmt.Errorf("%w: unknown unit %q in %q", ErrBadSize, rest[:end], s)
	}
	return saturate(v * mult), nil
}

func lookupUnit(units []Unit, name string) (float64, bool) {
	if name == "" {
		return 1, true
	}
	for _, u := range units {
		if eqFold(u.Abbrev, name) || eqFold(u.Name, name) ||
			eqFold(u.Name+"s", name) || eqFold(u.Abbrev, name+"b") {
			return u.Bytes, true
		}
	}
	return 0, false
}

// eqFold compares as git-annex does: both sides mapped through toLower.
func eqFold(a, b string) bool { return strings.EqualFold(a, b) }
