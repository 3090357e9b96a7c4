package logs

import (
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/uuid"
)

var groupLog = oldLog[[]string]{
	parse:  func(s string) ([]string, bool) { return normaliseGroups(strings.Split(s, " ")), true },
	format: func(g []string) string { return strings.Join(normaliseGroups(g), " ") },
}

// normaliseGroups makes the set of non-empty group names, sorted by bytes.
func normaliseGroups(g []string) []string {
	out := slices.DeleteFunc(slices.Clone(g), func(s string) bool { return s == "" })
	slices.Sort(out)
	return slices.Compact(out)
}

// ParseGroupLog parses group.log: each repository's groups, sorted and
// deduplicated (an empty list for a repository removed from all groups).
func ParseGroupLog(b []byte) map[uuid.UUID]Entry[[]string] { return groupLog.parseLog(b) }

// SetGroups returns group.log old with u's groups replaced by groups.
// Group names must not contain spaces.
func SetGroups(old []byte, u uuid.UUID, groups []string, now Timestamp) []byte {
	return groupLog.set(old, u, groups, now)
}
