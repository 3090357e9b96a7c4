package units

import (
	"math"
	"strconv"
	"strings"
)

// HumanSize formats n the way git-annex prints ${humansize} in find and
// examinekey: storage units, abbreviated, two decimals at most ("4 B",
// "1.23 MB").
func HumanSize(n int64) string { return RoughSize(Storage, true, n) }

// LongSize formats n the way git-annex info prints sizes: storage units,
// long names, plural unless the number shows as "1" ("13 bytes",
// "1 kilobyte", "81.58 gigabytes").
func LongSize(n int64) string { return RoughSize(Storage, false, n) }

// RoughSize is git-annex's roughSize: n expressed in the largest of units it
// reaches, with at most two decimals. short selects abbreviations over long
// names. Negative sizes get a leading '-'. units must not be empty.
func RoughSize(units []Unit, short bool, n int64) string {
	if n < 0 {
		return "-" + roughSize(units, short, uint64(-(n+1))+1)
	}
	return roughSize(units, short, uint64(n))
}

func roughSize(units []Unit, short bool, n uint64) string {
	sorted := largestFirst(units)
	u := sorted[len(sorted)-1]
	for _, c := range sorted {
		if c.fits(n) {
			u = c
			break
		}
	}
	s := ShowImprecise(2, float64(n)/u.Bytes)
	switch {
	case short:
		return s + " " + u.Abbrev
	case s == "1":
		return s + " " + u.Name
	default:
		return s + " " + u.Name + "s"
	}
}

// ShowImprecise renders v with at most precision decimals, dropping
// trailing zeros, rounding half to even as Haskell's round does
// (git-annex's Utility.HumanNumber.showImprecise).
func ShowImprecise(precision int, v float64) string {
	intPart, frac := math.Modf(v)
	scale := math.Pow(10, float64(precision))
	rem := math.RoundToEven(frac * scale)
	if rem == scale {
		intPart++
		rem = 0
	}
	if precision == 0 || rem == 0 {
		return formatInteger(math.RoundToEven(v))
	}
	if rem < 0 {
		rem = -rem
	}
	digits := strconv.FormatFloat(rem, 'f', 0, 64)
	if pad := precision - len(digits); pad > 0 {
		digits = strings.Repeat("0", pad) + digits
	}
	return formatInteger(intPart) + "." + strings.TrimRight(digits, "0")
}

func formatInteger(f float64) string {
	return strconv.FormatFloat(f, 'f', 0, 64)
}
