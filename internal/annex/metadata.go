package annex

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
)

// MetaOp is a kind of metadata change, one of git-annex's ModMeta.
type MetaOp int

// The metadata changes of `git annex metadata`.
const (
	// MetaAdd sets the values (--set FIELD+=VALUE, --tag).
	MetaAdd MetaOp = iota
	// MetaDel unsets the values (--set FIELD-=VALUE, --untag).
	MetaDel
	// MetaSet makes the values the field's only ones (--set FIELD=VALUE,
	// a batch "fields" entry); with no values it is MetaRemove.
	MetaSet
	// MetaRemove unsets every value of the field (--remove FIELD).
	MetaRemove
	// MetaRemoveAll unsets every value of every field (--remove-all).
	MetaRemoveAll
	// MetaMaybeSet sets the values only when the field has none
	// (--set FIELD?=VALUE).
	MetaMaybeSet
)

// MetaChange is one change to a key's metadata. Field is ignored by
// MetaRemoveAll, Values by MetaRemove and MetaRemoveAll.
type MetaChange struct {
	Op     MetaOp
	Field  string
	Values []string
}

// lastChangedSuffix ends the derived per-field fields ("tag-lastchanged");
// the derived field of the whole key is "lastchanged".
const (
	lastChangedField  = "lastchanged"
	lastChangedSuffix = "-lastchanged"
)

// isLastChangedField reports whether git-annex derives field, so that it
// is never recorded.
func isLastChangedField(field string) bool {
	f := strings.ToLower(field)
	return f == lastChangedField || strings.HasSuffix(f, lastChangedSuffix)
}

// CheckMetaField returns an error, in git-annex's words, when name cannot
// be a metadata field: empty, or holding white space, control characters
// or '/'.
func CheckMetaField(name string) error {
	bad := name == "" || strings.ContainsFunc(name, func(c rune) bool {
		return unicode.IsSpace(c) || unicode.IsControl(c) || c == '/'
	})
	if bad {
		return fmt.Errorf("Illegal metadata field name, %s", haskellShow(name))
	}
	return nil
}

// haskellShow quotes s as Haskell's show does for the printable ASCII
// strings field names are made of.
func haskellShow(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// MetaData returns k's current metadata as git-annex shows it: the values
// set, plus for each field set a derived "FIELD-lastchanged" and for the
// key a "lastchanged", dated by the newest log line that changed the field
// (and any field). Fields are ordered by case-folded name, values by
// bytes; a key without metadata has none.
func (r *Repo) MetaData(ctx context.Context, k key.Key) (logs.MetaData, error) {
	b, err := r.branch.Get(ctx, r.metaDataPath(k))
	if err != nil {
		return nil, fmt.Errorf("read metadata of %s: %w", k, err)
	}
	return currentMetaData(logs.ParseMetaLog(b)), nil
}

// ChangeMetaData applies changes to k's metadata as git-annex's metadata
// command does (each computed against the metadata before any of them,
// later changes winning) and records the result in one log line stamped
// after every line before it. Derived lastchanged fields are not
// recorded. It returns the metadata after the change, as MetaData would.
// The record is committed by Commit. Changes of one key must not run
// concurrently.
func (r *Repo) ChangeMetaData(ctx context.Context, k key.Key, changes []MetaChange) (logs.MetaData, error) {
	path := r.metaDataPath(k)
	b, err := r.branch.Get(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("read metadata of %s: %w", k, err)
	}
	old := currentMetaData(logs.ParseMetaLog(b))
	var md logs.MetaData
	for _, c := range changes {
		md = append(md, modMeta(old, c)...)
	}
	if len(md) == 0 {
		return old, nil // git-annex records nothing either
	}
	recorded := slices.DeleteFunc(md, func(f logs.MetaField) bool { return isLastChangedField(f.Name) })
	if len(recorded) == 0 {
		// git-annex writes a line with nothing on it: the change still
		// dates "lastchanged".
		recorded = logs.MetaData{{}}
	}
	now := r.now()
	var out []byte
	err = r.changeBranch(ctx, path, func(old []byte) []byte {
		out = logs.AddMetaData(old, recorded, now)
		return out
	})
	if err != nil {
		return nil, fmt.Errorf("record metadata of %s: %w (run `git annex metadata` again)", k, err)
	}
	return currentMetaData(logs.ParseMetaLog(out)), nil
}

func (r *Repo) metaDataPath(k key.Key) string {
	return logs.KeyLogPath(k, r.cfg.BranchHash1, logs.MetaDataExt)
}

// modMeta is git-annex's modMeta: the log entry change c makes, given
// the current metadata cur.
func modMeta(cur logs.MetaData, c MetaChange) logs.MetaData {
	values := func(vs []string, set bool) []logs.MetaValue {
		out := make([]logs.MetaValue, len(vs))
		for i, v := range vs {
			out[i] = logs.MetaValue{Value: v, Set: set}
		}
		return out
	}
	unsetAll := func(f logs.MetaField) []logs.MetaValue {
		out := make([]logs.MetaValue, len(f.Values))
		for i, v := range f.Values {
			out[i] = logs.MetaValue{Value: v.Value}
		}
		return out
	}
	current := func(name string) logs.MetaField {
		i := slices.IndexFunc(cur, func(f logs.MetaField) bool { return strings.EqualFold(f.Name, name) })
		if i < 0 {
			return logs.MetaField{Name: name}
		}
		return cur[i]
	}
	switch c.Op {
	case MetaAdd:
		return logs.MetaData{{Name: c.Field, Values: values(c.Values, true)}}
	case MetaDel:
		return logs.MetaData{{Name: c.Field, Values: values(c.Values, false)}}
	case MetaSet:
		if len(c.Values) == 0 {
			return logs.MetaData{{Name: c.Field, Values: unsetAll(current(c.Field))}}
		}
		// The new values win over the unset old ones (a set union biased
		// to its first argument).
		vs := values(c.Values, true)
		for _, v := range unsetAll(current(c.Field)) {
			if !slices.ContainsFunc(vs, func(n logs.MetaValue) bool { return n.Value == v.Value }) {
				vs = append(vs, v)
			}
		}
		return logs.MetaData{{Name: c.Field, Values: vs}}
	case MetaRemove:
		return logs.MetaData{{Name: c.Field, Values: unsetAll(current(c.Field))}}
	case MetaMaybeSet:
		if len(current(c.Field).Values) > 0 {
			return nil
		}
		return logs.MetaData{{Name: c.Field, Values: values(c.Values, true)}}
	case MetaRemoveAll:
		var md logs.MetaData
		for _, f := range cur {
			md = append(md, logs.MetaField{Name: f.Name, Values: unsetAll(f)})
		}
		return md
	}
	return nil
}

// currentMetaData is git-annex's parseCurrentMetaData: the values set,
// with the derived lastchanged fields.
func currentMetaData(lines []logs.MetaLine) logs.MetaData {
	cur := logs.CurrentMetaData(lines)
	if len(lines) == 0 {
		return cur
	}
	changed := map[string]logs.MetaLine{} // folded field -> newest line naming it
	names := map[string]string{}          // folded field -> its name there
	newest := lines[0]
	for _, l := range lines {
		if l.TS.Compare(newest.TS) >= 0 {
			newest = l
		}
		for _, f := range l.Data {
			changed[strings.ToLower(f.Name)] = l
			names[strings.ToLower(f.Name)] = f.Name
		}
	}
	out := slices.Clone(cur)
	for _, f := range cur {
		fold := strings.ToLower(f.Name)
		if l, ok := changed[fold]; ok {
			out = append(out, logs.MetaField{Name: names[fold] + lastChangedSuffix, Values: []logs.MetaValue{{Value: lastChanged(l.TS), Set: true}}})
		}
	}
	out = append(out, logs.MetaField{Name: lastChangedField, Values: []logs.MetaValue{{Value: lastChanged(newest.TS), Set: true}}})
	slices.SortStableFunc(out, func(a, b logs.MetaField) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return out
}

// lastChanged formats a log timestamp as git-annex's lastchanged values
// ("%F@%H-%M-%S" in UTC).
func lastChanged(ts logs.Timestamp) string {
	if !ts.IsKnown() {
		return "1970-01-01@00-00-00"
	}
	return ts.Time().Format("2006-01-02@15-04-05")
}
