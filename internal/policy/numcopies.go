package policy

import (
	"fmt"

	"github.com/troveproject/trove/internal/units"
)

// NumCopies is the desired number of copies of each file (numcopies).
type NumCopies int

// MinCopies is the number of copies that must be verifiably locked or
// trusted when dropping (mincopies).
type MinCopies int

// Defaults used when nothing is configured.
const (
	DefaultNumCopies NumCopies = 1
	DefaultMinCopies MinCopies = 1
)

// ParseNumCopies parses a numcopies value as git-annex reads it from
// numcopies.log, git config or attributes (readish: leading digits, rest
// ignored).
func ParseNumCopies(s string) (NumCopies, error) {
	n, err := readCount(s)
	return NumCopies(n), err
}

// ParseMinCopies is ParseNumCopies for mincopies.
func ParseMinCopies(s string) (MinCopies, error) {
	n, err := readCount(s)
	return MinCopies(n), err
}

func readCount(s string) (int, error) {
	n, _, ok := units.ReadInt(s)
	if !ok {
		return 0, fmt.Errorf("bad number %q", s)
	}
	return int(n), nil
}
