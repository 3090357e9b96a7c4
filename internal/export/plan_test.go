package export

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
)

func loc(t *testing.T, p string) remote.ExportLocation {
	t.Helper()
	l, err := remote.NewExportLocation(p)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func k(name string) key.Key { return key.Key{Variety: "SHA256E", Size: 1, HasSize: true, Name: name} }

func files(t *testing.T, pairs ...string) []File {
	var out []File
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, File{Loc: loc(t, pairs[i]), Key: k(pairs[i+1])})
	}
	return out
}

// step is a plan flattened to comparable strings.
func steps(p Plan) []string {
	var out []string
	for _, v := range p.Vacate {
		if v.ToTemp {
			out = append(out, "temp "+v.Loc.String())
		} else {
			out = append(out, "remove "+v.Loc.String())
		}
	}
	for _, r := range p.FromTemp {
		out = append(out, "rename "+r.From.String()+" -> "+r.To.String())
	}
	for _, f := range p.Uploads {
		out = append(out, "upload "+f.Loc.String())
	}
	for _, d := range p.Dirs {
		out = append(out, "rmdir "+d.String())
	}
	return out
}

func all(key.Key) bool { return true }

func TestDiff(t *testing.T) {
	tmpA := remote.TempExportLocation(k("a")).String()
	tests := []struct {
		name     string
		old, new []File
		present  func(key.Key) bool
		want     []string
	}{
		{"first export uploads everything", nil, files(t, "b", "b", "a/x", "x"), all,
			[]string{"upload a/x", "upload b"}},
		{"same tree does nothing", files(t, "a", "a"), files(t, "a", "a"), all, nil},
		{"unchanged but missing is uploaded again", files(t, "a", "a"), files(t, "a", "a"),
			func(key.Key) bool { return false }, []string{"upload a"}},
		{"rename, edit, delete",
			files(t, "a.txt", "a", "sub/b", "b", "small", "s", "keep", "keep"),
			files(t, "moved/a.txt", "a", "sub/b", "b2", "keep", "keep"), all,
			[]string{"temp a.txt", "remove sub/b", "remove small", "rename " + tmpA + " -> moved/a.txt", "upload sub/b"}},
		{"swap goes through temporary names",
			files(t, "x", "a", "y", "b"), files(t, "x", "b", "y", "a"), all,
			[]string{"temp x", "temp y",
				"rename " + tmpA + " -> y",
				"rename " + remote.TempExportLocation(k("b")).String() + " -> x"}},
		// The order the real git-annex 10.20230126 printed (keys named
		// by the start of their hashes): files leaving by key, renames
		// from temporary names by key, uploads.
		{"git-annex's order: by key",
			files(t, "a", "8742", "b", "0263", "c", "a3a5", "m", "01a6", "z", "c865"),
			files(t, "y", "8742", "d", "a3a5", "m", "m2"), all,
			[]string{"remove m", "remove b", "temp a", "temp c", "remove z",
				"rename " + remote.TempExportLocation(k("8742")).String() + " -> y",
				"rename " + remote.TempExportLocation(k("a3a5")).String() + " -> d",
				"upload m"}},
		{"a key absent from the remote is uploaded, not renamed",
			files(t, "a", "a"), files(t, "b", "a"), func(key.Key) bool { return false },
			[]string{"remove a", "upload b"}},
		{"one rename per key, other copies uploaded",
			files(t, "a", "a"), files(t, "b", "a", "c", "a"), all,
			[]string{"temp a", "rename " + tmpA + " -> b", "upload c"}},
		{"emptied directories removed deepest first",
			files(t, "d/e/f", "f", "d/g", "g", "h/i", "i"), files(t, "h/j", "i"), all,
			[]string{"remove d/e/f", "remove d/g", "temp h/i", "rename " + remote.TempExportLocation(k("i")).String() + " -> h/j", "rmdir d/e", "rmdir d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := steps(Diff(tt.old, tt.new, tt.present))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzDiff checks that carrying out any plan turns the old tree into the
// new one.
func FuzzDiff(f *testing.F) {
	f.Add("a:1 b:2 c/d:3", "a:2 b:1 e:3", uint8(0xff))
	f.Add("x:1", "x:1 y:1", uint8(0))
	f.Fuzz(func(t *testing.T, oldSpec, newSpec string, presentMask uint8) {
		old, new := parseSpec(oldSpec), parseSpec(newSpec)
		present := func(k key.Key) bool { return presentMask&(1<<(k.Name[0]%8)) != 0 }
		p := Diff(old, new, present)
		remoteHas := map[string]string{}
		for _, f := range old {
			remoteHas[f.Loc.String()] = f.Key.Name
		}
		for _, v := range p.Vacate {
			if remoteHas[v.Loc.String()] != v.Key.Name {
				t.Fatalf("vacate %s: holds %q, not %s", v.Loc, remoteHas[v.Loc.String()], v.Key.Name)
			}
			if v.ToTemp {
				remoteHas[remote.TempExportLocation(v.Key).String()] = v.Key.Name
			}
			delete(remoteHas, v.Loc.String())
		}
		for _, r := range p.FromTemp {
			name, ok := remoteHas[r.From.String()]
			if !ok {
				t.Fatalf("rename from missing %s", r.From)
			}
			delete(remoteHas, r.From.String())
			remoteHas[r.To.String()] = name
		}
		for _, f := range p.Uploads {
			remoteHas[f.Loc.String()] = f.Key.Name
		}
		want := map[string]string{}
		for _, f := range new {
			want[f.Loc.String()] = f.Key.Name
		}
		if diff := cmp.Diff(want, remoteHas); diff != "" {
			t.Fatalf("remote after the plan (-want +got):\n%s", diff)
		}
	})
}

// parseSpec reads "path:name ..." into files, skipping invalid paths and
// repeated locations.
func parseSpec(s string) []File {
	var out []File
	seen := map[string]bool{}
	for _, w := range splitWords(s) {
		i := len(w) - 1
		for i >= 0 && w[i] != ':' {
			i--
		}
		if i <= 0 || i == len(w)-1 {
			continue
		}
		l, err := remote.NewExportLocation(w[:i])
		if err != nil || seen[l.String()] {
			continue
		}
		seen[l.String()] = true
		out = append(out, File{Loc: l, Key: k(w[i+1:])})
	}
	return out
}

func splitWords(s string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			if start >= 0 {
				out = append(out, s[start:i])
			}
			start = -1
		} else if start < 0 {
			start = i
		}
	}
	return out
}
