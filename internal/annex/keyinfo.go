package annex

import (
	"strconv"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/pointer"
	"github.com/troveproject/trove/internal/units"
)

// KeyVars are the variables git-annex's find --format and examinekey
// --format expand for a key: backend, bytesize, humansize, keyname,
// hashdirlower, hashdirmixed, mtime and key. Unknown sizes and mtimes are
// "unknown", as git-annex prints them.
func KeyVars(k key.Key) map[string]string {
	size, human, mtime := "unknown", "unknown", "unknown"
	if k.HasSize {
		size = strconv.FormatInt(k.Size, 10)
		human = units.HumanSize(k.Size)
	}
	if k.HasMtime {
		mtime = strconv.FormatInt(k.Mtime, 10)
	}
	return map[string]string{
		"key":          k.String(),
		"backend":      k.Variety,
		"bytesize":     size,
		"humansize":    human,
		"keyname":      k.Name,
		"hashdirlower": k.HashDirLower(),
		"hashdirmixed": k.HashDirMixed(),
		"mtime":        mtime,
	}
}

// ExamineKey returns KeyVars plus the variables only examinekey has:
// objectpath (where the content is or would be stored, relative to the
// command's directory) and objectpointer (an unlocked file's content,
// with its newline).
func (r *Repo) ExamineKey(k key.Key) map[string]string {
	vars := KeyVars(k)
	p, _, err := r.objects.Find(k)
	if err != nil {
		p = r.objects.ObjectPath(k)
	}
	vars["objectpath"] = r.relToCwd(p)
	vars["objectpointer"] = string(pointer.File(k))
	return vars
}
