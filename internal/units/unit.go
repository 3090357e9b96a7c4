package units

import (
	"math"
	"sort"
)

// Unit is one named size unit.
type Unit struct {
	// Bytes is the size of one unit. It is a float64 because the largest
	// units (quettabyte = 1e30) exceed int64; every unit up to exabytes is
	// represented exactly.
	Bytes float64
	// Abbrev is the short name ("kB", "MiB", "Gbit").
	Abbrev string
	// Name is the singular long name ("kilobyte").
	Name string
}

// Storage units are powers of ten, as disk vendors count ("kB" = 1000).
var Storage = []Unit{
	{1e30, "QB", "quettabyte"},
	{1e27, "RB", "ronnabyte"},
	{1e24, "YB", "yottabyte"},
	{1e21, "ZB", "zettabyte"},
	{1e18, "EB", "exabyte"},
	{1e15, "PB", "petabyte"},
	{1e12, "TB", "terabyte"},
	{1e9, "GB", "gigabyte"},
	{1e6, "MB", "megabyte"},
	{1e3, "kB", "kilobyte"},
	{1, "B", "byte"},
}

// Committee units are the IEC powers of two ("KiB" = 1024).
var Committee = []Unit{
	{1 << 80, "YiB", "yobibyte"},
	{1 << 70, "ZiB", "zebibyte"},
	{1 << 60, "EiB", "exbibyte"},
	{1 << 50, "PiB", "pebibyte"},
	{1 << 40, "TiB", "tebibyte"},
	{1 << 30, "GiB", "gibibyte"},
	{1 << 20, "MiB", "mebibyte"},
	{1 << 10, "KiB", "kibibyte"},
	{1, "B", "byte"},
}

// Bandwidth units count bits in powers of ten ("kbit" = 125 bytes).
var Bandwidth = []Unit{
	{1e24 / 8, "Ybit", "yottabit"},
	{1e21 / 8, "Zbit", "zettabit"},
	{1e18 / 8, "Ebit", "exabit"},
	{1e15 / 8, "Pbit", "petabit"},
	{1e12 / 8, "Tbit", "terabit"},
	{1e9 / 8, "Gbit", "gigabit"},
	{1e6 / 8, "Mbit", "megabit"},
	{1e3 / 8, "kbit", "kilobit"},
}

// Data is git-annex's dataUnits: Storage, then Committee, then Bandwidth.
// Lookup order matters for parsing: the first unit that matches wins.
var Data = concatUnits(Storage, Committee, Bandwidth)

func concatUnits(lists ...[]Unit) []Unit {
	var all []Unit
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}

// fits reports whether n is at least one u, comparing exactly.
func (u Unit) fits(n uint64) bool {
	if u.Bytes >= math.MaxUint64 {
		return false
	}
	return n >= uint64(u.Bytes)
}

// largestFirst returns units ordered as Haskell's derived Ord on Unit,
// descending: by size, then abbreviation, then name.
func largestFirst(units []Unit) []Unit {
	s := append([]Unit(nil), units...)
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.Bytes != b.Bytes {
			return a.Bytes > b.Bytes
		}
		if a.Abbrev != b.Abbrev {
			return a.Abbrev > b.Abbrev
		}
		return a.Name > b.Name
	})
	return s
}
