package fsutil

import (
	"fmt"
	"strconv"
	"strings"
)

// Shared is the core.sharedRepository setting as it affects annexed files.
type Shared int

const (
	// NotShared is the default: content is made read-only and its directory
	// unwritable.
	NotShared Shared = iota
	// GroupShared (core.sharedRepository=group|true|1) keeps files group
	// readable and content directories group writable.
	GroupShared
	// AllShared (core.sharedRepository=all|world|everybody|2) also makes
	// files world readable.
	AllShared
)

// String returns the canonical core.sharedRepository value for s.
func (s Shared) String() string {
	switch s {
	case GroupShared:
		return "group"
	case AllShared:
		return "all"
	default:
		return "false"
	}
}

// ParseShared interprets a core.sharedRepository value as git does. An
// octal mode ("0660", "0664") counts as GroupShared, or AllShared when it
// grants others read access. "umask", "false", "0" and "" are NotShared. Other
// values return an error naming the value.
func ParseShared(v string) (Shared, error) {
	switch strings.ToLower(v) {
	case "", "umask", "false", "no", "off", "0":
		return NotShared, nil
	case "group", "true", "yes", "on", "1":
		return GroupShared, nil
	case "all", "world", "everybody", "2":
		return AllShared, nil
	}
	if len(v) > 1 && v[0] == '0' {
		if m, err := strconv.ParseUint(v, 8, 32); err == nil && m <= 0o777 {
			if m&0o004 != 0 {
				return AllShared, nil
			}
			return GroupShared, nil
		}
	}
	return NotShared, fmt.Errorf("core.sharedRepository: invalid value %q", v)
}
