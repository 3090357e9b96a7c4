package policy

import (
	"context"
	"testing"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/uuid"
)

var (
	keyA = key.Key{Variety: "SHA256E", Size: 4, HasSize: true, Name: "17e682f060b5f8e47ea04c5c4855908b0a5ad612022260fe50e11ecb0cc0ab76.txt"}
	keyB = key.Key{Variety: "WORM", Name: "x"}

	uHere    = uuid.UUID("11111111-1111-1111-1111-111111111111")
	uTrusted = uuid.UUID("22222222-2222-2222-2222-222222222222")
	uUntrust = uuid.UUID("33333333-3333-3333-3333-333333333333")
	uDead    = uuid.UUID("44444444-4444-4444-4444-444444444444")
	uArchive = uuid.UUID("55555555-5555-5555-5555-555555555555")
)

// testEnv: keyA is here, on a trusted repo, an untrusted one, a dead one
// and an archive; keyB is nowhere.
func testEnv() *fakeEnv {
	return &fakeEnv{
		here:      uHere,
		local:     map[key.Key]bool{keyA: true},
		locations: map[key.Key][]uuid.UUID{keyA: {uHere, uTrusted, uUntrust, uDead, uArchive}},
		trust:     map[uuid.UUID]TrustLevel{uTrusted: Trusted, uUntrust: UnTrusted, uDead: Dead},
		groups:    map[uuid.UUID][]string{uArchive: {"archive"}, uHere: {"client"}, uTrusted: {"client"}},
		numcopies: 2,
		fileNum:   map[string]NumCopies{"many/x": 5},
		metadata:  map[key.Key]map[string][]string{keyA: {"Author": {"Me"}, "year": {"2020", "abc"}}},
		unused:    map[key.Key]bool{keyB: true},
	}
}

func TestPreferredTerms(t *testing.T) {
	ctx := context.Background()
	env := testEnv()
	a := file{path: "dir/a.txt", key: &keyA}
	many := file{path: "many/x", key: &keyA}
	b := file{key: &keyB}
	for _, tc := range []struct {
		expr string
		subj Subject
		want bool
	}{
		{"present", a, true},
		{"present", b, false},
		{"securehash", a, true},
		{"securehash", b, false},
		{"inbackend=SHA256E", a, true},
		{"inbackend=SHA256", a, false},
		{"copies=4", a, true}, // dead copy not counted
		{"copies=5", a, false},
		{"copies=trusted:1", a, true},
		{"copies=trusted:2", a, false},
		{"copies=semitrusted+:3", a, true}, // here, trusted, archive
		{"copies=semitrusted:2", a, true},
		{"copies=untrusted:1", a, true},
		{"copies=dead:1", a, false},
		{"copies=archive:1", a, true},
		{"copies=client:2", a, true},
		{"copies=client:3", a, false},
		{"copies=0", b, true},
		{"copies=1x", a, true},
		{"lackingcopies=1", a, false},   // 2 - 3 good copies
		{"lackingcopies=2", many, true}, // 5 - 3 via per-file numcopies
		{"approxlackingcopies=2", many, false},
		{"lackingcopies=2", b, true},
		{"inallgroup=client", a, true},
		{"inallgroup=archive", b, false},
		{"inallgroup=nosuch", b, true},
		{"metadata=author=me", a, true},
		{"metadata=author=m?", a, true},
		{"metadata=author=x", a, false},
		{"metadata=year>2019", a, true},
		{"metadata=year<=2020", a, true},
		{"metadata=year>=2021", a, true}, // "abc" >= "2021" as strings
		{"metadata=year<100", a, false},
		{"unused", b, true},
		{"unused", a, false},
		{"not present", b, true},
	} {
		x, err := Parse(PreferredMode, tc.expr, ParseOptions{})
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.expr, err)
			continue
		}
		got, err := x.Match(ctx, env, tc.subj)
		if err != nil || got != tc.want {
			t.Errorf("%q = %v, %v; want %v", tc.expr, got, err, tc.want)
		}
	}
}

func TestAssumeNotPresent(t *testing.T) {
	ctx := context.Background()
	x, _ := Parse(PreferredMode, "copies=archive:1", ParseOptions{})
	a := file{key: &keyA}
	if ok, _ := x.Match(ctx, testEnv(), a, uArchive); ok {
		t.Error("copies=archive:1 matched although the archive is assumed not present")
	}
	y, _ := Parse(PreferredMode, "inallgroup=archive", ParseOptions{})
	if ok, _ := y.Match(ctx, testEnv(), a, uArchive); ok {
		t.Error("inallgroup matched although a member is assumed not present")
	}
}

func TestPresentOfOtherRepo(t *testing.T) {
	x, _ := Parse(PreferredMode, "present", ParseOptions{Repo: uArchive})
	env := testEnv()
	if ok, _ := x.Match(context.Background(), env, file{key: &keyA}); !ok {
		t.Error("present for the archive should consult the location log")
	}
	y, _ := Parse(PreferredMode, "present", ParseOptions{Repo: uDead})
	if ok, _ := y.Match(context.Background(), env, file{key: &keyA}); ok {
		t.Error("dead repositories are not locations")
	}
}

// git annex matchexpression inpreferreddir --file=F, 10.20230126.
func TestInPreferredDirGolden(t *testing.T) {
	x, _ := Parse(PreferredMode, "inpreferreddir", ParseOptions{})
	for path, want := range map[string]bool{
		"public/a": true, "x/public/a": true, "public": false,
		"a/public//b": true, "public/x/a": false, "a/public/": true,
	} {
		if got, _ := x.Match(context.Background(), nil, file{path: path}); got != want {
			t.Errorf("inpreferreddir on %q = %v, want %v", path, got, want)
		}
	}
	y, _ := Parse(PreferredMode, "inpreferreddir", ParseOptions{PreferredDir: "pub"})
	if got, _ := y.Match(context.Background(), nil, file{path: "pub/a"}); !got {
		t.Error("PreferredDir not used")
	}
}

// The expanded strings of internals §6.4.
func TestStandardGroupExpressions(t *testing.T) {
	want := map[string]string{
		"client":            "(include=* and ((exclude=*/archive/* and exclude=archive/*) or (not (copies=archive:1 or copies=smallarchive:1)))) or approxlackingcopies=1",
		"transfer":          "(not (inallgroup=client and copies=client:2) and ((include=* and ((exclude=*/archive/* and exclude=archive/*) or (not (copies=archive:1 or copies=smallarchive:1)))) or approxlackingcopies=1)) or approxlackingcopies=1",
		"backup":            "anything",
		"incrementalbackup": "((not copies=backup:1) and (not copies=incrementalbackup:1)) or approxlackingcopies=1",
		"smallarchive":      "((include=*/archive/* or include=archive/*) and ((not (copies=archive:1 or copies=smallarchive:1)) or approxlackingcopies=1)) or approxlackingcopies=1",
		"archive":           "(not (copies=archive:1 or copies=smallarchive:1)) or approxlackingcopies=1",
		"source":            "not (copies=1)",
		"manual":            "present and ((include=* and ((exclude=*/archive/* and exclude=archive/*) or (not (copies=archive:1 or copies=smallarchive:1)))) or approxlackingcopies=1)",
		"public":            "inpreferreddir",
		"unwanted":          "not anything",
	}
	if len(StandardGroups) != len(want) {
		t.Fatalf("%d standard groups, want %d", len(StandardGroups), len(want))
	}
	for _, g := range StandardGroups {
		if g.Expr != want[g.Name] {
			t.Errorf("%s:\n got %s\nwant %s", g.Name, g.Expr, want[g.Name])
		}
		if _, err := ParsePreferred(g.Expr, RepoInfo{}); err != nil {
			t.Errorf("%s does not parse: %v", g.Name, err)
		}
	}
}

func TestStandardAndGroupWantedExpansion(t *testing.T) {
	ctx := context.Background()
	env := testEnv()
	nowhere := file{path: "f", key: &keyB} // present nowhere, lacking copies
	here := file{path: "archive/f", key: &keyA}
	// unwanted: "not anything".
	x, err := ParsePreferred("standard", RepoInfo{UUID: uHere, Groups: []string{"unwanted"}})
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := x.Match(ctx, env, nowhere); ok {
		t.Error("standard of an unwanted repo matched")
	}
	// No standard group: falls back to present.
	y, _ := ParsePreferred("standard", RepoInfo{UUID: uHere, Groups: []string{"mine"}})
	if ok, _ := y.Match(ctx, env, here); !ok {
		t.Error("fallback should match present content")
	}
	if ok, _ := y.Match(ctx, env, nowhere); ok {
		t.Error("fallback should not match absent content")
	}
	// groupwanted expands, and standard inside it expands once.
	r := RepoInfo{UUID: uHere, Groups: []string{"backup", "mine"}, GroupWanted: map[string]string{"mine": "standard and not groupwanted"}}
	z, err := ParsePreferred("groupwanted", r)
	if err != nil {
		t.Fatal(err)
	}
	// standard = anything; inner groupwanted = present; so "not present".
	if ok, _ := z.Match(ctx, env, nowhere); !ok {
		t.Error("groupwanted: want absent content")
	}
	if ok, _ := z.Match(ctx, env, here); ok {
		t.Error("groupwanted: present content should not match")
	}
	// Two groups with groupwanted: ambiguous, falls back to present.
	r.GroupWanted["backup"] = "anything"
	w, _ := ParsePreferred("groupwanted", r)
	if ok, _ := w.Match(ctx, env, nowhere); ok {
		t.Error("ambiguous groupwanted should fall back to present")
	}
}

func TestCombineAndUnparseable(t *testing.T) {
	ctx := context.Background()
	empty := MatchAll()
	nothing, _ := LargeFiles("nothing")
	if Combine(empty, nothing) != nothing || Combine(nothing, empty) != nothing {
		t.Error("Combine with an empty expression should return the other one")
	}
	any, _ := LargeFiles("anything")
	if ok, _ := Combine(nothing, any).Match(ctx, nil, file{path: "a"}); !ok {
		t.Error("Combine is not or")
	}
	if got := Unparseable(uHere).String(); got != "present" {
		t.Errorf("Unparseable = %q", got)
	}
}

func TestAddUnlocked(t *testing.T) {
	for v, want := range map[string]bool{"true": true, "Yes": true, "false": false, "0": false, "include=*.txt": true} {
		x, err := AddUnlocked(v)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := x.Match(context.Background(), nil, file{path: "a.txt"}); got != want {
			t.Errorf("AddUnlocked(%q) on a.txt = %v", v, got)
		}
	}
}

func TestTrustLevels(t *testing.T) {
	for _, l := range []TrustLevel{Dead, UnTrusted, SemiTrusted, Trusted} {
		if got, ok := ParseTrustLevel(l.String()); !ok || got != l {
			t.Errorf("ParseTrustLevel(%q) = %v", l.String(), got)
		}
		if got := ParseTrustLogValue(l.LogValue()); got != l {
			t.Errorf("ParseTrustLogValue(%q) = %v", l.LogValue(), got)
		}
	}
	if ParseTrustLogValue("") != Trusted || ParseTrustLogValue("Z") != SemiTrusted {
		t.Error("trust.log legacy/unknown values")
	}
	if !(Dead < UnTrusted && UnTrusted < SemiTrusted && SemiTrusted < Trusted) {
		t.Error("order")
	}
}

func TestNumCopies(t *testing.T) {
	if n, err := ParseNumCopies("3"); err != nil || n != 3 {
		t.Errorf("ParseNumCopies(3) = %v, %v", n, err)
	}
	if _, err := ParseMinCopies("x"); err == nil {
		t.Error("ParseMinCopies(x) accepted")
	}
}

func TestLockedTerms(t *testing.T) {
	x := Generate([]Token{TermToken(Locked)})
	if ok, _ := x.Match(context.Background(), nil, lockedFile{file{path: "a"}, true}); !ok {
		t.Error("locked file did not match --locked")
	}
	y := Generate([]Token{TermToken(Unlocked)})
	if ok, _ := y.Match(context.Background(), nil, file{path: "a"}); ok {
		t.Error("--unlocked matched a subject with unknown lock status")
	}
}

type lockedFile struct {
	file
	locked bool
}

func (l lockedFile) Locked() (bool, bool) { return l.locked, true }
