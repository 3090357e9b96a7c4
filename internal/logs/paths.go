package logs

import (
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/key"
)

// Suffixes of the per-key files in the git-annex branch.
const (
	LocationExt       = ".log"      // presence log of repository UUIDs
	URLExt            = ".log.web"  // presence log of URLs
	MetaDataExt       = ".log.met"  // metadata
	RemoteMetaDataExt = ".log.rmet" // per-remote metadata
	ChunkExt          = ".log.cnk"  // chunk log
	RemoteStateExt    = ".log.rmt"  // special remote state (SETSTATE)
	ContentIDExt      = ".log.cid"  // content identifiers of import remotes
)

// Top-level files of the git-annex branch.
const (
	UUIDLog                  = "uuid.log"
	RemoteLog                = "remote.log"
	TrustLog                 = "trust.log"
	GroupLog                 = "group.log"
	PreferredContentLog      = "preferred-content.log"
	RequiredContentLog       = "required-content.log"
	GroupPreferredContentLog = "group-preferred-content.log"
	NumCopiesLog             = "numcopies.log"
	MinCopiesLog             = "mincopies.log"
	ConfigLog                = "config.log"
	ScheduleLog              = "schedule.log"
	ActivityLog              = "activity.log"
	DifferenceLog            = "difference.log"
	MulticastLog             = "multicast.log"
	ExportLog                = "export.log"
	TransitionsLog           = "transitions.log"
)

// KeyLogPath returns the branch path of k's log with suffix ext (one of
// the *Ext constants): hashDirLower of k, two levels or one when oneLevel
// (annex.tune.branchhash1), then k's file name and ext, e.g.
// "e7d/d01/SHA256E-s12--….txt.log.web".
func KeyLogPath(k key.Key, oneLevel bool, ext string) string {
	dir := k.HashDirLower()
	if oneLevel {
		dir = k.HashDirLower1()
	}
	return dir + k.File() + ext
}

// LocationLogPath returns the branch path of k's location log.
func LocationLogPath(k key.Key, oneLevel bool) string { return KeyLogPath(k, oneLevel, LocationExt) }

// ParseLocationLogPath returns the key whose location log is at branch path
// p: a "*.log" file at depth 3 (depth 2 when oneLevel) whose name decodes
// to a key. Other paths yield false.
func ParseLocationLogPath(p string, oneLevel bool) (key.Key, bool) {
	depth := 3
	if oneLevel {
		depth = 2
	}
	parts := strings.Split(p, "/")
	if len(parts) != depth || slices.Contains(parts[:depth-1], "") {
		return key.Key{}, false
	}
	name, ok := strings.CutSuffix(parts[depth-1], LocationExt)
	if !ok {
		return key.Key{}, false
	}
	k, err := key.FromFile(name)
	return k, err == nil
}

// JournalFileName returns the name under .git/annex/journal of branch file
// p: each '_' doubled, then each '/' replaced by '_'.
func JournalFileName(p string) string {
	return strings.ReplaceAll(strings.ReplaceAll(p, "_", "__"), "/", "_")
}

// BranchPathFromJournal reverses JournalFileName: "__" becomes '_' and a
// single '_' becomes '/'. A trailing lone '_' is dropped, as by git-annex.
// The mapping is not injective ("_/" and "/_" both give "___"); like
// git-annex, this decodes "___" as "_/", so a branch path with "/_" (a key
// file starting with '_') does not survive the round trip.
func BranchPathFromJournal(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		switch {
		case name[i] != '_':
			b.WriteByte(name[i])
		case i+1 == len(name):
		case name[i+1] == '_':
			b.WriteByte('_')
			i++
		default:
			b.WriteByte('/')
		}
	}
	return b.String()
}
