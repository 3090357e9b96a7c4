package chunk

import (
	"errors"
	"fmt"

	"github.com/troveproject/trove/internal/units"
)

// Setting names in remote.log.
const (
	// Field is the new-style chunk size setting ("chunk=1MiB").
	Field = "chunk"
	// LegacyField is the old-style setting ("chunksize=10mb"), which
	// takes precedence over Field when both are set, as in git-annex.
	LegacyField = "chunksize"
)

// Kind is how a remote chunks content.
type Kind int

const (
	// None means content is stored whole under its key.
	None Kind = iota
	// Fixed means content is split into chunks of Size bytes, each stored
	// under a chunk key (chunk=).
	Fixed
	// Legacy means the remote itself splits content into <base>.chunkN files
	// with a <base>.chunkcount file (chunksize=); only the remote types
	// that had it (directory, webdav) know the layout.
	Legacy
)

// Config is a remote's chunking setting. The zero value is no chunking.
type Config struct {
	Kind Kind
	// Size is the chunk size in bytes; positive unless Kind is None.
	Size int64
}

// ErrBadConfig is wrapped by ParseConfig's errors.
var ErrBadConfig = errors.New("bad configuration")

// ParseConfig reads the chunking setting from a remote's config
// (remote.log fields), as git-annex's getChunkConfig does: chunksize= if
// set (legacy), else chunk=, else none. Sizes are read with data units,
// case-insensitively ("5b", "1MiB", "10mb"); a size of 0 means no
// chunking. A value that is not a size, or a negative one, is an error
// wrapping ErrBadConfig whose message is git-annex's ("bad configuration
// chunk=abc"). Git-annex's initremote accepts such values and fails only
// when the remote is used, so callers report the error at that point.
func ParseConfig(cfg map[string]string) (Config, error) {
	field, kind := LegacyField, Legacy
	v, ok := cfg[LegacyField]
	if !ok {
		field, kind = Field, Fixed
		if v, ok = cfg[Field]; !ok {
			return Config{}, nil
		}
	}
	n, err := units.ParseSize(v)
	switch {
	case err != nil || n < 0:
		return Config{}, fmt.Errorf("%w %s=%s", ErrBadConfig, field, v)
	case n == 0:
		return Config{}, nil
	}
	return Config{Kind: kind, Size: n}, nil
}

// Describe is the "chunking" line of `git annex info REMOTE`: "none",
// "1.05 megabytes chunks", or "5 bytes chunks (old style)".
func (c Config) Describe() string {
	switch c.Kind {
	case Fixed:
		return units.LongSize(c.Size) + " chunks"
	case Legacy:
		return units.LongSize(c.Size) + " chunks (old style)"
	}
	return "none"
}
