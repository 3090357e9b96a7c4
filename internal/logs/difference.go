package logs

import (
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/uuid"
)

// Differences are the repository tunings (annex.tune.*) recorded in
// difference.log. Repositories whose differences differ cannot merge their
// git-annex branches.
type Differences struct {
	ObjectHashLower    bool // annex.tune.objecthashlower
	OneLevelObjectHash bool // annex.tune.objecthash1
	OneLevelBranchHash bool // annex.tune.branchhash1
	// Unknown is set when the recorded value names a difference this
	// version does not know; such repositories never compare equal.
	Unknown bool
}

var differenceNames = []string{"ObjectHashLower", "OneLevelObjectHash", "OneLevelBranchHash"}

func (d *Differences) flags() []*bool {
	return []*bool{&d.ObjectHashLower, &d.OneLevelObjectHash, &d.OneLevelBranchHash}
}

// String formats d as git-annex's show of a Set Difference, e.g.
// "fromList [ObjectHashLower,OneLevelBranchHash]" or "fromList []".
func (d Differences) String() string {
	var names []string
	for i, f := range d.flags() {
		if *f {
			names = append(names, differenceNames[i])
		}
	}
	return "fromList [" + strings.Join(names, ",") + "]"
}

// ParseDifferences parses a difference.log value. Anything but a
// "fromList [...]" of known names yields Differences{Unknown: true}.
func ParseDifferences(s string) Differences {
	unknown := Differences{Unknown: true}
	s = strings.TrimFunc(s, isHaskellSpace)
	rest, ok := strings.CutPrefix(s, "fromList")
	if !ok {
		return unknown
	}
	rest = strings.TrimLeftFunc(rest, isHaskellSpace)
	if !strings.HasPrefix(rest, "[") || !strings.HasSuffix(rest, "]") {
		return unknown
	}
	var d Differences
	body := strings.TrimFunc(rest[1:len(rest)-1], isHaskellSpace)
	if body == "" {
		return d
	}
	for _, name := range strings.Split(body, ",") {
		i := slices.Index(differenceNames, strings.TrimFunc(name, isHaskellSpace))
		if i < 0 {
			return unknown
		}
		*d.flags()[i] = true
	}
	return d
}

var differenceLog = oldLog[Differences]{
	parse:  func(s string) (Differences, bool) { return ParseDifferences(s), true },
	format: Differences.String,
}

// ParseDifferenceLog parses difference.log.
func ParseDifferenceLog(b []byte) map[uuid.UUID]Entry[Differences] {
	return differenceLog.parseLog(b)
}

// SetDifferences returns difference.log old with u's differences set to d.
func SetDifferences(old []byte, u uuid.UUID, d Differences, now Timestamp) []byte {
	return differenceLog.set(old, u, d, now)
}
