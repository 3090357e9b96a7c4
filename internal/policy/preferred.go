package policy

import (
	"github.com/troveproject/trove/internal/uuid"
)

// RepoInfo is what expanding "standard" and "groupwanted" needs to know
// about the repository whose preferred content is parsed.
type RepoInfo struct {
	UUID uuid.UUID
	// Groups are the repository's groups (group.log).
	Groups []string
	// GroupWanted maps group names to their groupwanted expressions
	// (group-preferred-content.log).
	GroupWanted map[string]string
	// PreferredDir is the remote's preferreddir setting; empty = "public".
	PreferredDir string
}

// ParsePreferred parses a preferred- or required-content expression of
// repository r, resolving the way git-annex's makeMatcher does:
//
//   - "standard" becomes the expression of r's standard group when r is in
//     exactly one standard group;
//   - "groupwanted" becomes the groupwanted expression of r's groups when
//     exactly one of them has one, and inside it "standard" is expanded;
//   - inside either expansion a further standard/groupwanted, or one that
//     cannot be resolved, matches what r currently has ("present").
//
// Parse errors anywhere, expansions included, are a *ParseError. Callers
// reading an expression from the git-annex branch should then use
// Unparseable(r.UUID) instead, as git-annex does.
func ParsePreferred(expr string, r RepoInfo) (*Expr, error) {
	return parsePreferred(expr, r, true, true)
}

func parsePreferred(expr string, r RepoInfo, standard, groupWanted bool) (*Expr, error) {
	opts := ParseOptions{Repo: r.UUID, PreferredDir: r.PreferredDir}
	opts.expand = func(word string) (*Expr, error) {
		if word == "standard" {
			g, ok := r.standardGroup()
			if !standard || !ok {
				return Unparseable(r.UUID), nil
			}
			return parsePreferred(g.Expr, r, false, false)
		}
		gw, ok := r.groupWanted()
		if !groupWanted || !ok {
			return Unparseable(r.UUID), nil
		}
		return parsePreferred(gw, r, true, false)
	}
	return Parse(PreferredMode, expr, opts)
}

func (r RepoInfo) standardGroup() (StandardGroup, bool) {
	var found []StandardGroup
	for _, name := range dedupe(r.Groups) {
		if g, ok := LookupStandardGroup(name); ok {
			found = append(found, g)
		}
	}
	if len(found) != 1 {
		return StandardGroup{}, false
	}
	return found[0], true
}

func (r RepoInfo) groupWanted() (string, bool) {
	var found []string
	for _, name := range dedupe(r.Groups) {
		if expr, ok := r.GroupWanted[name]; ok {
			found = append(found, expr)
		}
	}
	if len(found) != 1 {
		return "", false
	}
	return found[0], true
}

func dedupe(names []string) []string {
	seen := make(map[string]bool, len(names))
	var out []string
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// Unparseable returns the fallback for a preferred-content expression that
// cannot be parsed (for instance one written by a newer git-annex): it
// matches only content repo already has, so nothing is moved until the
// problem is fixed.
func Unparseable(repo uuid.UUID) *Expr {
	return Generate([]Token{TermToken(presentTerm{repo: repo})})
}

// expandedTerm is standard or groupwanted, resolved at parse time.
type expandedTerm struct {
	word string
	sub  *Expr
}

func expandTerm(word string, opts ParseOptions) (Term, error) {
	var sub *Expr
	var err error
	if opts.expand != nil {
		sub, err = opts.expand(word)
	} else {
		sub = Unparseable(opts.Repo)
	}
	if err != nil {
		return nil, err
	}
	return expandedTerm{word: word, sub: sub}, nil
}

func (t expandedTerm) String() string { return t.word }

func (t expandedTerm) match(e *eval) (bool, error) { return e.run(t.sub.root) }
