package policy

import (
	"context"
	"strings"

	"github.com/troveproject/trove/internal/uuid"
)

// Expr is a parsed expression. The zero value is not valid; use Parse,
// ParsePreferred, LargeFiles or Generate. An Expr is immutable and safe for
// concurrent use.
type Expr struct {
	root *node
}

// MatchAll returns the expression that matches everything (the empty one).
func MatchAll() *Expr { return &Expr{root: anyNode} }

// IsEmpty reports whether x has no terms at all, so it matches
// everything: an unset annex.largefiles, an empty preferred content.
func (x *Expr) IsEmpty() bool { return x.root.op == opAny }

// String renders x in expression syntax. Parsing the result with the same
// mode yields an expression that matches exactly what x matches.
func (x *Expr) String() string {
	if x.IsEmpty() {
		return ""
	}
	var b strings.Builder
	x.root.write(&b)
	return b.String()
}

// Terms returns the terms of x, left to right.
func (x *Expr) Terms() []Term {
	var ts []Term
	x.root.terms(func(t Term) { ts = append(ts, t) })
	return ts
}

// Match evaluates x for subj. env may be nil when x has no terms needing
// the repository (annex.largefiles); such terms are then false. Terms are
// evaluated left to right with short-circuiting, as git-annex does, so Env
// is only consulted when needed. notPresent lists repositories to treat as
// not having the content (git-annex's AssumeNotPresent, used to ask "would
// this still be wanted after dropping from these?"). The only errors are
// those env returns.
func (x *Expr) Match(ctx context.Context, env Env, subj Subject, notPresent ...uuid.UUID) (bool, error) {
	e := &eval{ctx: ctx, env: env, subj: subj}
	if len(notPresent) > 0 {
		e.notPresent = make(map[uuid.UUID]bool, len(notPresent))
		for _, u := range notPresent {
			e.notPresent[u] = true
		}
	}
	return e.run(x.root)
}

func (e *eval) run(n *node) (bool, error) {
	switch n.op {
	case opAny:
		return true, nil
	case opAnd:
		ok, err := e.run(n.left)
		if err != nil || !ok {
			return false, err
		}
		return e.run(n.right)
	case opOr:
		ok, err := e.run(n.left)
		if err != nil || ok {
			return ok, err
		}
		return e.run(n.right)
	case opNot:
		ok, err := e.run(n.left)
		return !ok && err == nil, err
	default:
		return n.term.match(e)
	}
}

// Combine returns an expression matching what a or b matches, except that
// an empty expression yields the other one (git-annex's combineMatchers,
// used to or required content into preferred content).
func Combine(a, b *Expr) *Expr {
	switch {
	case a.IsEmpty():
		return b
	case b.IsEmpty():
		return a
	}
	return &Expr{root: or(a.root, b.root)}
}
