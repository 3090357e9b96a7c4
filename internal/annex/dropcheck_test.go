package annex

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// fakeRemote is a remote whose answers the test sets.
type fakeRemote struct {
	name     string
	u        uuid.UUID
	present  bool
	checkErr error
	checked  int
}

func (f *fakeRemote) Name() string    { return f.name }
func (f *fakeRemote) UUID() uuid.UUID { return f.u }
func (f *fakeRemote) Cost() float64   { return remote.CheapCost }
func (f *fakeRemote) Store(context.Context, key.Key, remote.Source, progress.Meter) error {
	return remote.ErrUnsupported
}
func (f *fakeRemote) Retrieve(context.Context, key.Key, remote.Sink, progress.Meter) error {
	return remote.ErrUnsupported
}
func (f *fakeRemote) CheckPresent(context.Context, key.Key) (bool, error) {
	f.checked++
	return f.present, f.checkErr
}
func (f *fakeRemote) Remove(context.Context, key.Key) error { return nil }

// lockingRemote can also lock content; lockErr makes the lock fail.
type lockingRemote struct {
	fakeRemote
	lockErr  error
	held     int
	released int
}

func (l *lockingRemote) LockContent(context.Context, key.Key) (func() error, error) {
	if l.lockErr != nil {
		return nil, l.lockErr
	}
	if !l.present {
		return nil, fmt.Errorf("lock: %w", remote.ErrNotPresent)
	}
	l.held++
	return func() error { l.released++; return nil }, nil
}

func cand(rm remote.Remote) dropCandidate { return dropCandidate{UUID: rm.UUID(), rm: rm} }

var testKey = key.Key{Variety: "SHA256E", Name: "abc.txt", Size: 3, HasSize: true}

func noHere(context.Context) (func() error, error) { return nil, errors.New("no local content") }

func kinds(v *verification) []string {
	var out []string
	for _, c := range v.have {
		out = append(out, string(c.UUID)+":"+c.Kind.String())
	}
	return out
}

func TestIsSafeDrop(t *testing.T) {
	rv := func(u string) VerifiedCopy { return VerifiedCopy{UUID: uuid.UUID(u), Kind: RecentlyVerifiedCopy} }
	lk := func(u string) VerifiedCopy { return VerifiedCopy{UUID: uuid.UUID(u), Kind: LockedCopy} }
	tr := func(u string) VerifiedCopy { return VerifiedCopy{UUID: uuid.UUID(u), Kind: TrustedCopy} }
	tests := []struct {
		name     string
		num, min int
		have     []VerifiedCopy
		local    bool
		want     bool
	}{
		{"local needs numcopies of any kind", 1, 1, []VerifiedCopy{rv("a")}, true, true},
		{"local none", 1, 1, nil, true, false},
		{"local max of num and min", 1, 2, []VerifiedCopy{rv("a")}, true, false},
		{"local max reached", 1, 2, []VerifiedCopy{rv("a"), lk("b")}, true, true},
		{"local duplicates count once", 2, 1, []VerifiedCopy{rv("a"), lk("a")}, true, false},
		{"remote recently verified is not enough for mincopies", 1, 1, []VerifiedCopy{rv("a")}, false, false},
		{"remote locked", 1, 1, []VerifiedCopy{lk("a")}, false, true},
		{"remote trusted", 1, 1, []VerifiedCopy{tr("a")}, false, true},
		{"remote numcopies 2, one locked one verified", 2, 1, []VerifiedCopy{lk("a"), rv("b")}, false, true},
		{"remote mincopies 2 needs two strong", 2, 2, []VerifiedCopy{lk("a"), rv("b")}, false, false},
		{"remote zero and zero", 0, 0, nil, false, true},
	}
	for _, tt := range tests {
		if got := isSafeDrop(tt.num, tt.min, tt.have, tt.local); got != tt.want {
			t.Errorf("%s: isSafeDrop = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestVerifyCopiesLocksAndStopsWhenEnough(t *testing.T) {
	a := &lockingRemote{fakeRemote: fakeRemote{name: "a", u: "ua", present: true}}
	b := &lockingRemote{fakeRemote: fakeRemote{name: "b", u: "ub", present: true}}
	v, ok := verifyCopies(context.Background(), testKey, 1, 1, true, nil, []dropCandidate{cand(a), cand(b)}, noHere, nil)
	if !ok {
		t.Fatal("drop with a lockable copy refused")
	}
	if diff := cmp.Diff([]string{"ua:LockedCopy"}, kinds(v)); diff != "" {
		t.Errorf("evidence (-want +got):\n%s", diff)
	}
	if b.held != 0 || b.checked != 0 {
		t.Errorf("b was contacted (held %d, checked %d) although a sufficed", b.held, b.checked)
	}
	if a.released != 0 {
		t.Fatal("lock released before the drop was done")
	}
	if err := v.release(); err != nil {
		t.Fatal(err)
	}
	if a.released != 1 {
		t.Errorf("a released %d times, want 1", a.released)
	}
}

func TestVerifyCopiesTrustedCountsWithoutContact(t *testing.T) {
	a := &fakeRemote{name: "a", u: "ua", present: false}
	pre := []VerifiedCopy{{UUID: "ut", Kind: TrustedCopy}}
	v, ok := verifyCopies(context.Background(), testKey, 1, 1, false, pre, []dropCandidate{cand(a)}, noHere, nil)
	if !ok || a.checked != 0 {
		t.Fatalf("ok=%v checked=%d: trusted copy should allow the drop without asking a", ok, a.checked)
	}
	if diff := cmp.Diff([]string{"ut:TrustedCopy"}, kinds(v)); diff != "" {
		t.Error(diff)
	}
}

func TestVerifyCopiesFallbacks(t *testing.T) {
	lockFails := &lockingRemote{fakeRemote: fakeRemote{name: "lf", u: "ulf", present: true}, lockErr: errors.New("old git-annex-shell")}
	beingDropped := &lockingRemote{fakeRemote: fakeRemote{name: "bd", u: "ubd", present: true}, lockErr: fmt.Errorf("lock: %w", remote.ErrLocked)}
	unreachable := &fakeRemote{name: "un", u: "uun", checkErr: fmt.Errorf("gone: %w", remote.ErrUnavailable)}
	missing := &fakeRemote{name: "mi", u: "umi"}
	plain := &fakeRemote{name: "pl", u: "upl", present: true}

	// Local drop: a failed lock falls back to CheckPresent, which counts.
	v, ok := verifyCopies(context.Background(), testKey, 1, 1, true, nil, []dropCandidate{cand(lockFails)}, noHere, nil)
	if !ok || lockFails.checked != 1 {
		t.Errorf("local drop after failed lock: ok=%v checked=%d, want ok after one CheckPresent", ok, lockFails.checked)
	}
	if diff := cmp.Diff([]string{"lf"}, v.lockUnsupported); diff != "" {
		t.Error(diff)
	}

	// Content being removed there is no evidence, and not even asked.
	v, ok = verifyCopies(context.Background(), testKey, 1, 1, true, nil, []dropCandidate{cand(beingDropped), cand(unreachable), cand(missing)}, noHere, nil)
	if ok {
		t.Fatal("drop allowed with no verifiable copy")
	}
	if beingDropped.checked != 0 {
		t.Error("content locked for removal was asked CheckPresent")
	}
	if diff := cmp.Diff([]string{"bd", "un"}, v.unreachable); diff != "" {
		t.Errorf("unreachable (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]uuid.UUID{"umi"}, v.missing); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}

	// Drop from a remote: a recently verified copy does not meet mincopies.
	_, ok = verifyCopies(context.Background(), testKey, 1, 1, false, nil, []dropCandidate{cand(plain)}, noHere, nil)
	if ok {
		t.Error("drop --from allowed on a CheckPresent answer alone")
	}
	// ... but numcopies 2 with mincopies 1 is met by one locked and one verified.
	a := &lockingRemote{fakeRemote: fakeRemote{name: "a", u: "ua", present: true}}
	_, ok = verifyCopies(context.Background(), testKey, 2, 1, false, nil, []dropCandidate{cand(plain), cand(a)}, noHere, nil)
	if !ok {
		t.Error("numcopies 2 / mincopies 1 refused with one locked and one verified copy")
	}
}

func TestVerifyCopiesHereCountsWhenLocked(t *testing.T) {
	released := 0
	here := func(context.Context) (func() error, error) { return func() error { released++; return nil }, nil }
	v, ok := verifyCopies(context.Background(), testKey, 1, 1, false, nil, []dropCandidate{{UUID: "uhere"}}, here, nil)
	if !ok {
		t.Fatal("drop --from refused although here has a locked copy")
	}
	if diff := cmp.Diff([]string{"uhere:LockedCopy"}, kinds(v)); diff != "" {
		t.Error(diff)
	}
	_ = v.release()
	if released != 1 {
		t.Errorf("here's shared lock released %d times", released)
	}
}

func TestUnsafeDropErrorText(t *testing.T) {
	// Captured from git-annex 10.20230126 (drop --json of a file with
	// one copy, and with --numcopies 2).
	e := &UnsafeDropError{Verified: 0, Needed: 1}
	want := "unsafe\nCould only verify the existence of 0 out of 1 necessary copy\n(Use --force to override this check, or adjust numcopies.)"
	if diff := cmp.Diff(want, e.Error()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	e = &UnsafeDropError{Verified: 0, Needed: 2}
	if !strings.Contains(e.Error(), "0 out of 2 necessary copies\n") {
		t.Errorf("plural: %q", e.Error())
	}
	e = &UnsafeDropError{Verified: 1, Needed: 2, LockShortfall: true, LockUnsupported: []string{"r1"}}
	want = "unsafe\nUnable to lock down 2 copies of file necessary to safely drop it.\nThese remotes do not support locking: r1\n(Use --force to override this check, or adjust numcopies.)"
	if diff := cmp.Diff(want, e.Error()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !errors.Is(e, ErrUnsafeDrop) {
		t.Error("errors.Is(ErrUnsafeDrop) is false")
	}
}

func TestUnsafeDropErrorLocations(t *testing.T) {
	e := &UnsafeDropError{Needed: 1, Candidates: []KnownRepo{
		{UUID: "30da8b72-d67a-4a40-8700-077f7d64bd40", Description: "b"},
	}}
	notes := e.Notes()
	var human []string
	for _, n := range notes {
		human = append(human, n.Text)
	}
	// As git-annex printed it for a file whose other copy is in a
	// repository that is not a remote here.
	want := []string{
		"unsafe",
		"Could only verify the existence of 0 out of 1 necessary copy",
		"Maybe add some of these git remotes (git remote add ...):\n\t30da8b72-d67a-4a40-8700-077f7d64bd40 -- b\n",
		"(Use --force to override this check, or adjust numcopies.)",
	}
	if diff := cmp.Diff(want, human); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	none := (&UnsafeDropError{Needed: 1}).Notes()
	if got := none[2].Text; got != "Rather than dropping this file, try using: git annex move" || !none[2].HumanOnly {
		t.Errorf("no-location note = %+v", none[2])
	}
}

func TestThinModifiedErrorNamesFileCauseAndNextCommand(t *testing.T) {
	k, err := key.Parse("SHA256E-s4--17e682f060b5f8e47ea04c5c4855908b0a5ad612022260fe50e11ecb0cc0ab76")
	if err != nil {
		t.Fatal(err)
	}
	msg := (&ThinModifiedError{Key: k, File: "dir/a"}).Error()
	for _, want := range []string{"not dropping dir/a", "annex.thin", "`git annex add dir/a`", "`git annex fsck --key " + k.String() + "`"} {
		if !strings.Contains(msg, want) {
			t.Errorf("ThinModifiedError = %q, want it to contain %q", msg, want)
		}
	}
}
