package annex

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/uuid"
)

// UnusedOptions are the options of `git annex unused`.
type UnusedOptions struct {
	// From names the repository whose content is examined (--from): a
	// remote name, UUID or description; "", "." and "here" mean this
	// repository.
	From string
	// RefSpec overrides annex.used-refspec (--used-refspec); nil uses the
	// configuration, or every ref when it is unset.
	RefSpec *RefSpec
	// Fast skips the search for unused content (--fast): only the bad and
	// tmp lists are made.
	Fast bool
	// Note is told each step as it begins, in git-annex's words: "checking
	// for unused data", then "checking REF" per ref examined. nil ignores
	// the steps.
	Note func(string)
}

// UnusedReport is what Unused found. Numbers run on from one list to the
// next, Content first.
type UnusedReport struct {
	// Remote is the remote examined, "" for this repository.
	Remote string
	// RemoteKnown is false when Remote names a repository that is not a
	// configured remote (git-annex then prints no dropunused hint).
	RemoteKnown bool
	Content     []UnusedLogEntry
	Bad, Tmp    []UnusedLogEntry
}

// Unused finds the content that no file uses, as `git annex unused` does,
// and records the lists in .git/annex/unused, badunused and tmpunused
// (first-seen times kept from the previous run). For this repository the
// candidates are the keys present here; with opts.From, the keys the
// location log says that repository has (and only .git/annex/unused is
// written). Bad and tmp files whose key is present here are removed.
// Running it again gives the same numbers while nothing changes.
func (r *Repo) Unused(ctx context.Context, opts UnusedOptions) (UnusedReport, error) {
	note := opts.Note
	if note == nil {
		note = func(string) {}
	}
	spec, err := r.usedRefSpec(opts.RefSpec)
	if err != nil {
		return UnusedReport{}, err
	}
	if from := opts.From; from != "" && from != "." && from != "here" {
		return r.remoteUnused(ctx, from, spec, note)
	}
	var rep UnusedReport
	var content []key.Key
	if !opts.Fast {
		note("checking for unused data")
		var present []key.Key
		for k, err := range r.objects.Keys(ctx) {
			if err != nil {
				return rep, err
			}
			present = append(present, k)
		}
		if content, err = r.excludeReferenced(ctx, spec, present, note); err != nil {
			return rep, err
		}
	}
	if rep.Content, err = r.writeUnusedLog(UnusedContent, content, 1); err != nil {
		return rep, err
	}
	bad, err := r.unusedStaleKeys(ctx, filepath.Join(annexDir(r.git), "bad"), false)
	if err != nil {
		return rep, err
	}
	if rep.Bad, err = r.writeUnusedLog(UnusedBad, bad, 1+len(rep.Content)); err != nil {
		return rep, err
	}
	tmp, err := r.unusedStaleKeys(ctx, filepath.Join(annexDir(r.git), "tmp"), true)
	if err != nil {
		return rep, err
	}
	rep.Tmp, err = r.writeUnusedLog(UnusedTmp, tmp, 1+len(rep.Content)+len(rep.Bad))
	return rep, err
}

// usedRefSpec is the refspec given, else annex.used-refspec, else all refs.
func (r *Repo) usedRefSpec(given *RefSpec) (RefSpec, error) {
	if given != nil {
		return *given, nil
	}
	if s, ok := r.cfg.Git().Get("annex.used-refspec"); ok {
		spec, err := ParseRefSpec(s)
		if err != nil {
			return RefSpec{}, fmt.Errorf("annex.used-refspec: %w (fix it with `git config annex.used-refspec`)", err)
		}
		return spec, nil
	}
	return RefSpec{}, nil
}

// remoteUnused is Unused --from name: the keys the location log says the
// repository has that nothing uses.
func (r *Repo) remoteUnused(ctx context.Context, name string, spec RefSpec, note func(string)) (UnusedReport, error) {
	rep := UnusedReport{Remote: name}
	var u uuid.UUID
	if rm, err := r.Remote(ctx, name); err == nil {
		u, rep.RemoteKnown = rm.UUID(), true
	} else if u, err = r.FindRepo(ctx, name); err != nil {
		return rep, err
	}
	note("checking for unused data")
	ks, err := r.keysIn(ctx, u)
	if err != nil {
		return rep, err
	}
	unused, err := r.excludeReferenced(ctx, spec, ks, note)
	if err != nil {
		return rep, err
	}
	rep.Content, err = r.writeUnusedLog(UnusedContent, unused, 1)
	return rep, err
}

// keysIn lists the keys the location log says repository u has, in
// git-annex's loggedKeys order (private journal first).
func (r *Repo) keysIn(ctx context.Context, u uuid.UUID) ([]key.Key, error) {
	all, err := r.loggedKeys(ctx)
	if err != nil {
		return nil, err
	}
	var out []key.Key
	for _, k := range all {
		data, err := r.branch.Get(ctx, logs.LocationLogPath(k, r.cfg.BranchHash1))
		if err != nil {
			return nil, fmt.Errorf("read the location log of %s: %w", k, err)
		}
		for _, info := range logs.PresentInfos(logs.ParsePresence(data)) {
			if info == string(u) {
				out = append(out, k)
				break
			}
		}
	}
	return out, nil
}

// UnusedLists are the three lists of the last `git annex unused` run.
type UnusedLists struct {
	lists [3][]UnusedLogEntry
}

// ReadUnused reads the lists the last `git annex unused` wrote. Missing
// lists are empty.
func (r *Repo) ReadUnused() (UnusedLists, error) {
	var ls UnusedLists
	for _, l := range unusedLists {
		es, err := r.readUnusedLog(l)
		if err != nil {
			return ls, err
		}
		ls.lists[l] = es
	}
	return ls, nil
}

// Lookup finds number n, searching the content list, then bad, then tmp.
func (ls UnusedLists) Lookup(n int) (UnusedLogEntry, UnusedList, bool) {
	for _, l := range unusedLists {
		for _, e := range ls.lists[l] {
			if e.Number == n {
				return e, l, true
			}
		}
	}
	return UnusedLogEntry{}, 0, false
}

// bounds returns the lowest and highest number listed; ok is false when
// all lists are empty.
func (ls UnusedLists) bounds() (lo, hi int, ok bool) {
	for _, l := range unusedLists {
		for _, e := range ls.lists[l] {
			if !ok || e.Number < lo {
				lo = e.Number
			}
			if !ok || e.Number > hi {
				hi = e.Number
			}
			ok = true
		}
	}
	return lo, hi, ok
}

// ErrUnusedNumber is wrapped by *UnusedNumberError.
var ErrUnusedNumber = errors.New("not a number of the unused list")

// UnusedNumberError is a number that is in none of the unused lists.
// Error() is git-annex's text.
type UnusedNumberError struct{ Number int }

func (e *UnusedNumberError) Error() string {
	return strconv.Itoa(e.Number) + " not valid (run git annex unused for list)"
}

// Is makes errors.Is(err, ErrUnusedNumber) true.
func (e *UnusedNumberError) Is(target error) bool { return target == ErrUnusedNumber }

// ParseUnusedSpec expands one argument of dropunused/addunused: "N",
// "N-M" (empty when M < N) or "all" (every number from the lowest listed
// to the highest). A malformed spec is an error with git-annex's text.
func (ls UnusedLists) ParseUnusedSpec(spec string) ([]int, error) {
	if spec == "all" {
		lo, hi, ok := ls.bounds()
		if !ok {
			return nil, nil
		}
		return numberRange(lo, hi), nil
	}
	bad := fmt.Errorf("Expected number or range, not %q", spec) //nolint:staticcheck // git-annex's words
	if a, b, ok := strings.Cut(spec, "-"); ok {
		lo, err1 := readNumber(a)
		hi, err2 := readNumber(b)
		if err1 != nil || err2 != nil {
			return nil, bad
		}
		return numberRange(lo, hi), nil
	}
	n, err := readNumber(spec)
	if err != nil {
		return nil, bad
	}
	return []int{n}, nil
}

// readNumber reads a decimal number as Haskell's readish does for Int:
// digits, optionally surrounded by spaces.
func readNumber(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s[:1], "+-") {
		return 0, strconv.ErrSyntax
	}
	return strconv.Atoi(s)
}

func numberRange(lo, hi int) []int {
	var out []int
	for n := lo; n <= hi; n++ {
		out = append(out, n)
	}
	return out
}
