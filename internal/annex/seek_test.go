package annex

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/testutil"
)

// setTestEnv makes the git processes of the test run under testutil.Env.
func setTestEnv(t *testing.T) {
	t.Helper()
	for _, kv := range testutil.Env(t) {
		name, val, _ := strings.Cut(kv, "=")
		t.Setenv(name, val)
	}
}

// seekRepo is a Trove repository with a.txt and d/c.txt annexed and
// committed, and small.txt in git.
func seekRepo(t *testing.T) (*Repo, string) {
	t.Helper()
	setTestEnv(t)
	ctx := context.Background()
	dir := testutil.NewRepo(t)
	r, err := Init(ctx, dir, InitOptions{Description: "seek", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for p, c := range map[string]string{"a.txt": "aaa\n", "d/c.txt": "ccc\n", "d/e.txt": "eee\n"} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Add(ctx, AddOptions{ForceLarge: true}, func(res AddResult) {
		if res.Err != nil {
			t.Errorf("add %s: %v", res.File, res.Err)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	testutil.RunGit(t, dir, "commit", "-q", "-m", "add")
	t.Cleanup(func() { r.Close() })
	return r, dir
}

type seen struct {
	File, Branch string
	Input        []string
	HasLog       bool
}

func collect(t *testing.T, r *Repo, opts SeekOptions) ([]seen, []Item) {
	t.Helper()
	var out []seen
	var items []Item
	err := r.Seek(context.Background(), opts, func(it Item) error {
		out = append(out, seen{it.File, it.Branch, it.Input, it.hasLocationLog})
		items = append(items, it)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, items
}

func TestSeekFilesInputsAndOrder(t *testing.T) {
	r, _ := seekRepo(t)
	got, _ := collect(t, r, SeekOptions{})
	want := []seen{
		{"a.txt", "", []string{"a.txt"}, true},
		{"d/c.txt", "", []string{"d/c.txt"}, true},
		{"d/e.txt", "", []string{"d/e.txt"}, true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("no inputs (-want +got):\n%s", diff)
	}

	var missing []string
	got, _ = collect(t, r, SeekOptions{
		Inputs:   []string{"d", "nope", "a.txt"},
		Given:    []string{"./d", "nope", "a.txt"},
		NotFound: func(in string) error { missing = append(missing, in); return nil },
	})
	want = []seen{
		{"d/c.txt", "", []string{"./d"}, true},
		{"d/e.txt", "", []string{"./d"}, true},
		{"a.txt", "", []string{"a.txt"}, true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"nope"}, missing); diff != "" {
		t.Errorf("not found (-want +got):\n%s", diff)
	}
}

func TestSeekKeyModes(t *testing.T) {
	r, dir := seekRepo(t)
	_, files := collect(t, r, SeekOptions{})
	byPath := map[string]key.Key{}
	for _, it := range files {
		byPath[it.File] = it.Key
	}

	_, all := collect(t, r, SeekOptions{All: true})
	if len(all) != 3 {
		t.Fatalf("--all found %d keys, want 3", len(all))
	}
	for _, it := range all {
		if it.File != "" || len(it.Input) != 0 {
			t.Errorf("--all item %+v has a file or input", it)
		}
		locs, err := r.ItemLocations(context.Background(), it)
		if err != nil || len(locs) != 1 || locs[0] != r.UUID() {
			t.Errorf("locations of %s = %v, %v; want here", it.Key, locs, err)
		}
	}

	_, keyed := collect(t, r, SeekOptions{Keys: []key.Key{byPath["d/e.txt"], byPath["a.txt"]}})
	if len(keyed) != 2 || keyed[0].Key != byPath["d/e.txt"] || keyed[1].Key != byPath["a.txt"] {
		t.Errorf("--key items = %+v", keyed)
	}

	list := "2 " + byPath["a.txt"].String() + " 1700000000.5s\n1 " + byPath["d/c.txt"].String() + " 1700000000s\n"
	if err := os.WriteFile(filepath.Join(dir, ".git/annex/unused"), []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	_, unused := collect(t, r, SeekOptions{Unused: true})
	if len(unused) != 2 || unused[0].Key != byPath["d/c.txt"] || unused[1].Key != byPath["a.txt"] {
		t.Errorf("--unused items = %+v", unused)
	}

	got, _ := collect(t, r, SeekOptions{Branch: "master"})
	want := []seen{
		{"a.txt", "master", []string{}, true},
		{"d/c.txt", "master", []string{}, true},
		{"d/e.txt", "master", []string{}, true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("--branch (-want +got):\n%s", diff)
	}
}

func TestSeekMatcherAndConflicts(t *testing.T) {
	r, _ := seekRepo(t)
	ctx := context.Background()
	m, err := r.NewMatcher(ctx, []string{"include=d/*", "and", "not", "include=*e.txt"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := collect(t, r, SeekOptions{Matcher: m})
	if len(got) != 1 || got[0].File != "d/c.txt" {
		t.Errorf("matched %+v, want only d/c.txt", got)
	}
	err = r.Seek(ctx, SeekOptions{All: true, Inputs: []string{"a.txt"}}, func(Item) error { return nil })
	if !errors.Is(err, ErrSeekConflict) {
		t.Errorf("--all with a path: %v, want ErrSeekConflict", err)
	}

	it, ok, err := r.SeekFile(ctx, "d/c.txt", "./d/c.txt", m)
	if err != nil || !ok || it.File != "d/c.txt" || it.Unlocked || !cmp.Equal(it.Input, []string{"./d/c.txt"}) {
		t.Errorf("SeekFile = %+v, %v, %v", it, ok, err)
	}
	if _, ok, err := r.SeekFile(ctx, "a.txt", "a.txt", m); ok || err != nil {
		t.Errorf("SeekFile of an unmatched file = %v, %v", ok, err)
	}
	if _, ok, err := r.SeekFile(ctx, "nope", "nope", nil); ok || err != nil {
		t.Errorf("SeekFile of a missing file = %v, %v", ok, err)
	}
}

func TestParseUnusedList(t *testing.T) {
	k1 := "SHA256E-s11--8340ff1b484e7547f373d5ecf74b21f938533adf6948268c6e25ab203d4a6d18.bin"
	k2 := "WORM-s3-m1700000000--x"
	data := "10 " + k2 + " 1795211291.494636934s\n1 " + k1 + " 1795211291.494636934s\ngarbage\n3 not-a-key\nx " + k1 + "\n2 " + k2 + "\n"
	got := ParseUnusedList([]byte(data))
	var nums []int
	var ks []string
	for _, e := range got {
		nums = append(nums, e.Number)
		ks = append(ks, e.Key.String())
	}
	if diff := cmp.Diff([]int{1, 2, 10}, nums); diff != "" {
		t.Errorf("numbers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{k1, k2, k2}, ks); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}

func FuzzParseUnusedList(f *testing.F) {
	f.Add([]byte("1 SHA256E-s11--8340ff1b484e7547f373d5ecf74b21f938533adf6948268c6e25ab203d4a6d18.bin 1795211291.494636934s\n"))
	f.Add([]byte("2 WORM-s3-m1--x\n\n 3  \n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ents := ParseUnusedList(data)
		for i, e := range ents {
			if e.Number < 0 || (i > 0 && ents[i-1].Number > e.Number) {
				t.Fatalf("bad order or number: %+v", ents)
			}
			if _, err := key.Parse(e.Key.String()); err != nil {
				t.Fatalf("entry key %q does not round-trip: %v", e.Key, err)
			}
		}
	})
}
