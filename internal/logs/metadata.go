package logs

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// MetaValue is one value of a metadata field; Set is false for a value that
// was unset (written "-value").
type MetaValue struct {
	Value string
	Set   bool
}

// MetaField is a metadata field with its values, sorted by value bytes and
// unique by value. Field names compare case-insensitively.
type MetaField struct {
	Name   string
	Values []MetaValue
}

// MetaData is the metadata of one log line, fields sorted by folded name.
type MetaData []MetaField

// MetaLine is one line "TS SP FIELD SP (+|-)VALUE ..." of a metadata log
// (*.log.met, and *.log.rmet whose field names are "UUID:field").
type MetaLine struct {
	TS   Timestamp
	Data MetaData
}

// foldField approximates the case folding git-annex applies to field names
// (Data.CaseInsensitive); it is exact for ASCII.
func foldField(name string) string { return strings.ToLower(name) }

func compareMetaFields(a, b MetaField) int {
	if c := strings.Compare(foldField(a.Name), foldField(b.Name)); c != 0 {
		return c
	}
	return slices.CompareFunc(a.Values, b.Values, func(x, y MetaValue) int { return strings.Compare(x.Value, y.Value) })
}

func compareMetaLines(a, b MetaLine) int {
	return cmp.Or(a.TS.Compare(b.TS), slices.CompareFunc(a.Data, b.Data, compareMetaFields))
}

// union returns md with f merged in; f's name and f's values win
// (Data.Map.insertWith and Data.Set.union are biased towards the new side).
func (md MetaData) union(f MetaField) MetaData {
	key := foldField(f.Name)
	i, found := slices.BinarySearchFunc(md, key, func(e MetaField, k string) int { return strings.Compare(foldField(e.Name), k) })
	md = slices.Clone(md)
	if !found {
		return slices.Insert(md, i, MetaField{Name: f.Name, Values: normaliseValues(f.Values, nil)})
	}
	md[i] = MetaField{Name: f.Name, Values: normaliseValues(f.Values, md[i].Values)}
	return md
}

// normaliseValues is the set union of newer and older, newer winning.
func normaliseValues(newer, older []MetaValue) []MetaValue {
	out := slices.Concat(newer, older)
	slices.SortStableFunc(out, func(a, b MetaValue) int { return strings.Compare(a.Value, b.Value) })
	return slices.CompactFunc(out, func(a, b MetaValue) bool { return a.Value == b.Value })
}

// ParseMetaData parses the metadata part of a line as git-annex's
// deserialize does: space-separated words, each field name followed by its
// "+value"/"-value" words ('!' then base64 for encoded values). Parsing stops
// at a word that is neither a value nor valid UTF-8.
func ParseMetaData(s string) MetaData {
	var md MetaData
	words := strings.Split(s, " ")
	for len(words) > 0 {
		name := words[0]
		if !utf8.ValidString(name) {
			break
		}
		words = words[1:]
		for len(words) > 0 {
			v, ok := parseMetaValue(words[0])
			if !ok {
				break
			}
			md = md.union(MetaField{Name: name, Values: []MetaValue{v}})
			words = words[1:]
		}
	}
	return md
}

func parseMetaValue(w string) (MetaValue, bool) {
	if w == "" || (w[0] != '+' && w[0] != '-') {
		return MetaValue{}, false
	}
	v := MetaValue{Value: w[1:], Set: w[0] == '+'}
	if strings.HasPrefix(v.Value, "!") {
		d, ok := decodeBase64Bang(v.Value)
		if !ok {
			return MetaValue{}, false
		}
		v.Value = d
	}
	return v, true
}

// String serialises md as git-annex does; values containing SP, CR or LF or
// starting with '!' are written as '!' and their base64.
func (md MetaData) String() string {
	var words []string
	for _, f := range md {
		words = append(words, f.Name)
		for _, v := range f.Values {
			flag := "-"
			if v.Set {
				flag = "+"
			}
			words = append(words, flag+encodeBang(v.Value, " \r\n"))
		}
	}
	return strings.Join(words, " ")
}

// ParseMetaLog parses a metadata log into its set of lines, in git-annex's
// order (by timestamp, then by content).
func ParseMetaLog(b []byte) []MetaLine {
	var out []MetaLine
	for _, line := range splitLines(b) {
		ts, n, ok := parseTimestampPrefix(line)
		if !ok || n >= len(line) || line[n] != ' ' {
			continue
		}
		out = append(out, MetaLine{TS: ts, Data: ParseMetaData(line[n+1:])})
	}
	return sortMetaLines(out)
}

// sortMetaLines sorts lines as a Data.Set would hold them; of lines that
// compare equal the last one is kept.
func sortMetaLines(lines []MetaLine) []MetaLine {
	slices.SortStableFunc(lines, compareMetaLines)
	var out []MetaLine
	for _, l := range lines {
		if n := len(out); n > 0 && compareMetaLines(out[n-1], l) == 0 {
			out[n-1] = l
			continue
		}
		out = append(out, l)
	}
	return out
}

// FormatMetaLog serialises lines in the given order.
func FormatMetaLog(lines []MetaLine) []byte {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.TS.String() + " " + l.Data.String() + "\n")
	}
	return []byte(b.String())
}

// combine unions the data of lines, given oldest first; newer lines win.
func combine(lines []MetaLine) MetaData {
	var md MetaData
	for _, l := range lines {
		for _, f := range l.Data {
			md = md.union(f)
		}
	}
	return md
}

// CurrentMetaData returns the values currently set by a metadata log: the
// union of all lines, newer lines deciding whether a value is set, with
// unset values and empty fields removed. Derived "lastchanged" fields are
// not included.
func CurrentMetaData(lines []MetaLine) MetaData {
	var out MetaData
	for _, f := range combine(lines) {
		var vals []MetaValue
		for _, v := range f.Values {
			if v.Set {
				vals = append(vals, v)
			}
		}
		if len(vals) > 0 {
			out = append(out, MetaField{Name: f.Name, Values: vals})
		}
	}
	return out
}

// Values returns the values of the field called name (field names compare
// case-insensitively, as in git-annex), nil when md has no such field.
func (md MetaData) Values(name string) []string {
	var out []string
	for _, f := range md {
		if foldField(f.Name) == foldField(name) {
			for _, v := range f.Values {
				out = append(out, v.Value)
			}
		}
	}
	return out
}

// AddMetaData returns metadata log old after recording md (`git annex
// metadata`): a line stamped with now advanced past every existing line,
// after which lines whose values are all overridden by newer lines are
// dropped (git-annex's simplifyLog). An empty md leaves old unchanged.
func AddMetaData(old []byte, md MetaData, now Timestamp) []byte {
	if len(md) == 0 {
		return old
	}
	lines := ParseMetaLog(old)
	var prev []Timestamp
	for _, l := range lines {
		prev = append(prev, l.TS)
	}
	var norm MetaData
	for _, f := range md {
		norm = norm.union(f)
	}
	lines = sortMetaLines(append(lines, MetaLine{TS: Advance(now, prev...), Data: norm}))
	return FormatMetaLog(simplifyMetaLog(lines))
}

// simplifyMetaLog is git-annex's simplifyLog over lines sorted oldest first.
func simplifyMetaLog(lines []MetaLine) []MetaLine {
	if len(lines) == 0 {
		return lines
	}
	newest := lines[len(lines)-1]
	kept := []MetaLine{newest}
	newer := newest.Data
	for i := len(lines) - 2; i >= 0; i-- {
		unique := difference(lines[i].Data, newer)
		if len(unique) == 0 {
			continue
		}
		kept = append(kept, MetaLine{TS: lines[i].TS, Data: unique})
		for _, f := range newer {
			unique = unique.union(f)
		}
		newer = unique
	}
	if len(kept) == len(lines) {
		return lines // nothing dropped: git-annex keeps the log as it was
	}
	return sortMetaLines(kept)
}

// difference removes from md the values (by Value) present in excl,
// dropping fields left empty (Data.Map.differenceWith).
func difference(md, excl MetaData) MetaData {
	var out MetaData
	for _, f := range md {
		var other []MetaValue
		if i := slices.IndexFunc(excl, func(e MetaField) bool { return foldField(e.Name) == foldField(f.Name) }); i >= 0 {
			other = excl[i].Values
		}
		vals := slices.DeleteFunc(slices.Clone(f.Values), func(v MetaValue) bool {
			return slices.ContainsFunc(other, func(o MetaValue) bool { return o.Value == v.Value })
		})
		if len(vals) > 0 {
			out = append(out, MetaField{Name: f.Name, Values: vals})
		}
	}
	return out
}
