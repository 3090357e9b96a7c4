package logs

import (
	"cmp"
	"slices"
	"strings"
)

// Transitions known to git-annex 10.20230126, in its constructor order.
const (
	ForgetGitHistory  = "ForgetGitHistory"
	ForgetDeadRemotes = "ForgetDeadRemotes"
)

// Transition is one line "NAME SP TS" of transitions.log. Unknown names
// are kept so that rewriting the log preserves them.
type Transition struct {
	Name string
	TS   Timestamp
}

// Known reports whether t names a transition this version can apply.
func (t Transition) Known() bool { return t.Name == ForgetGitHistory || t.Name == ForgetDeadRemotes }

// compareTransitions is git-annex's Ord on TransitionLine: by timestamp,
// then unknown names (bytewise) before known ones (constructor order).
func compareTransitions(a, b Transition) int {
	if c := a.TS.Compare(b.TS); c != 0 {
		return c
	}
	rank := func(t Transition) int {
		switch t.Name {
		case ForgetGitHistory:
			return 1
		case ForgetDeadRemotes:
			return 2
		}
		return 0
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a.Name, b.Name))
}

// ParseTransitions parses transitions.log into its set of lines, sorted and
// deduplicated. Text after a line's timestamp is ignored, as by git-annex.
func ParseTransitions(b []byte) []Transition {
	var out []Transition
	for _, line := range splitLines(b) {
		name, rest, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		ts, _, ok := parseTimestampPrefix(rest)
		if !ok {
			continue
		}
		out = append(out, Transition{Name: name, TS: ts})
	}
	slices.SortFunc(out, compareTransitions)
	return slices.Compact(out)
}

// FormatTransitions serialises the set ts, sorted and deduplicated.
func FormatTransitions(ts []Transition) []byte {
	ts = slices.Clone(ts)
	slices.SortFunc(ts, compareTransitions)
	var b strings.Builder
	for _, t := range slices.Compact(ts) {
		b.WriteString(t.Name + " " + t.TS.String() + "\n")
	}
	return []byte(b.String())
}

// AddTransition returns transitions.log old with transition name added,
// stamped with now advanced past earlier lines for the same transition
// (`git annex forget`).
func AddTransition(old []byte, name string, now Timestamp) []byte {
	ts := ParseTransitions(old)
	var prev []Timestamp
	for _, t := range ts {
		if t.Name == name {
			prev = append(prev, t.TS)
		}
	}
	return FormatTransitions(append(ts, Transition{Name: name, TS: Advance(now, prev...)}))
}
