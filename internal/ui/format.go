package ui

import (
	"math"
	"strconv"
	"strings"
)

// showImprecise formats n with at most precision decimals, rounding half
// to even and dropping trailing zeros, like git-annex's
// Utility.HumanNumber.showImprecise.
func showImprecise(precision int, n float64) string {
	intPart, frac := math.Modf(n)
	scale := math.Pow10(precision)
	rem := int64(math.RoundToEven(frac * scale))
	ip := int64(intPart)
	if rem == int64(scale) { // carry the 1
		ip, rem = ip+1, 0
	}
	if precision == 0 || rem == 0 {
		return strconv.FormatInt(int64(math.RoundToEven(n)), 10)
	}
	digits := strconv.FormatInt(rem, 10)
	digits = strings.Repeat("0", precision-len(digits)) + digits
	return strconv.FormatInt(ip, 10) + "." + strings.TrimRight(digits, "0")
}

// percent formats done/total the way git-annex's --json-progress
// "percent-progress" does: two decimals at most ("0.11%", "33.33%", "100%").
func percent(done, total int64) string {
	if total == 0 {
		return "0%"
	}
	return showImprecise(2, float64(done)*100/float64(total)) + "%"
}

var binaryUnits = []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}

// humanBytes formats a byte count with binary units and two decimals at
// most, as git-annex's progress meter does ("1 B", "2.93 KiB").
func humanBytes(n int64) string {
	v, u := float64(n), 0
	for v >= 1024 && u < len(binaryUnits)-1 {
		v /= 1024
		u++
	}
	return showImprecise(2, v) + " " + binaryUnits[u]
}
