package export

import (
	"cmp"
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
)

// File is one file of a tree: where it goes on the remote and the key of
// its content (a GIT-- key for files stored in git).
type File struct {
	Loc remote.ExportLocation
	Key key.Key
}

// Rename moves Key's content on the remote from From to To.
type Rename struct {
	Key      key.Key
	From, To remote.ExportLocation
}

// Vacate is a file of the old tree leaving its location: renamed to its
// key's temporary name (remote.TempExportLocation) when ToTemp, else
// removed.
type Vacate struct {
	File
	ToTemp bool
}

// Plan is what turns the remote's old tree into the new one, in the order
// the steps must run: Vacate (by key, then location, as git-annex orders
// them), FromTemp renames (by key), Uploads (by location), then Dirs
// (directories of the old tree the new one no longer has, deepest first).
type Plan struct {
	Vacate   []Vacate
	FromTemp []Rename
	Uploads  []File
	Dirs     []remote.ExportLocation
}

// Diff plans the change of a remote holding old into one holding new.
// present says whether the remote really has a key's content (the location
// log): a file of old whose key is not present is not renamed (it is
// uploaded again instead), and a file unchanged between the trees is
// uploaded when its key is not present (an earlier export failed there).
// A key that leaves one path and appears at another is renamed once (at
// most one rename per key, since its temporary name is per key); other
// paths needing it are uploaded. Lists are sorted by location so that the
// plan, and what is shown of it, is deterministic. Neither tree may list
// a location twice.
func Diff(old, new []File, present func(key.Key) bool) Plan {
	oldAt := byLoc(old)
	newAt := byLoc(new)

	// Old files whose location loses its content, by key.
	leaving := map[string][]File{}
	for _, f := range sorted(old) {
		if nk, ok := newAt[f.Loc.String()]; !ok || nk.String() != f.Key.String() {
			leaving[f.Key.String()] = append(leaving[f.Key.String()], f)
		}
	}

	var p Plan
	renamed := map[string]bool{}
	toTemp := map[string]bool{} // old locations renamed to a temporary name
	for _, f := range sorted(new) {
		if was := oldAt[f.Loc.String()]; was != nil && was.String() == f.Key.String() {
			if !present(f.Key) {
				p.Uploads = append(p.Uploads, f)
			}
			continue
		}
		ks := f.Key.String()
		if srcs := leaving[ks]; len(srcs) > 0 && !renamed[ks] && present(f.Key) {
			renamed[ks] = true
			tmp := remote.TempExportLocation(f.Key)
			toTemp[srcs[0].Loc.String()] = true
			p.FromTemp = append(p.FromTemp, Rename{Key: f.Key, From: tmp, To: f.Loc})
			leaving[ks] = srcs[1:]
			continue
		}
		p.Uploads = append(p.Uploads, f)
	}
	for _, f := range sorted(old) {
		if nk, ok := newAt[f.Loc.String()]; ok && nk.String() == f.Key.String() {
			continue
		}
		p.Vacate = append(p.Vacate, Vacate{File: f, ToTemp: toTemp[f.Loc.String()]})
	}
	// git-annex vacates the files, and renames from temporary names, in
	// the order of their keys (verified with 10.20230126).
	slices.SortStableFunc(p.Vacate, func(a, b Vacate) int { return keyOrder(a.Key, b.Key) })
	slices.SortStableFunc(p.FromTemp, func(a, b Rename) int { return keyOrder(a.Key, b.Key) })
	p.Dirs = goneDirs(old, new)
	return p
}

// goneDirs are the directories of old's files that none of new's files
// is in, deepest (then by name) first.
func goneDirs(old, new []File) []remote.ExportLocation {
	keep := map[string]bool{}
	for _, f := range new {
		for _, d := range f.Loc.Dirs() {
			keep[d.String()] = true
		}
	}
	seen := map[string]bool{}
	var out []remote.ExportLocation
	for _, f := range old {
		for _, d := range f.Loc.Dirs() {
			if s := d.String(); !keep[s] && !seen[s] {
				seen[s] = true
				out = append(out, d)
			}
		}
	}
	slices.SortFunc(out, func(a, b remote.ExportLocation) int {
		return cmp.Or(-cmp.Compare(strings.Count(a.String(), "/"), strings.Count(b.String(), "/")), strings.Compare(a.String(), b.String()))
	})
	return out
}

// keyOrder orders keys as git-annex's Ord instance does: by name (the
// hash and extension) first.
func keyOrder(a, b key.Key) int {
	return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.String(), b.String()))
}

func byLoc(fs []File) map[string]*key.Key {
	m := make(map[string]*key.Key, len(fs))
	for i := range fs {
		m[fs[i].Loc.String()] = &fs[i].Key
	}
	return m
}

func sorted(fs []File) []File {
	s := slices.Clone(fs)
	slices.SortFunc(s, func(a, b File) int { return strings.Compare(a.Loc.String(), b.Loc.String()) })
	return s
}
