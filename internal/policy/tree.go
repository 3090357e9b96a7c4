package policy

import "strings"

// opKind is the shape of one node of a parsed expression.
type opKind int

const (
	opAny  opKind = iota // matches everything (the empty expression)
	opAnd                // left and right
	opOr                 // left or right
	opNot                // not left
	opTerm               // a single term
)

// node is git-annex's Matcher: MAny, MAnd, MOr, MNot, MOp.
type node struct {
	op          opKind
	left, right *node
	term        Term
}

var anyNode = &node{op: opAny}

func and(a, b *node) *node { return &node{op: opAnd, left: a, right: b} }
func or(a, b *node) *node  { return &node{op: opOr, left: a, right: b} }
func not(a *node) *node    { return &node{op: opNot, left: a} }

// simplify drops the MAny placeholders git-annex drops (simplify in
// Utility/Matcher.hs); it does not change what the tree matches.
func simplify(n *node) *node {
	switch n.op {
	case opAnd:
		if n.left.op == opAny {
			return simplify(n.right)
		}
		if n.right.op == opAny {
			return simplify(n.left)
		}
		return and(simplify(n.left), simplify(n.right))
	case opOr:
		return or(simplify(n.left), simplify(n.right))
	case opNot:
		return not(simplify(n.left))
	}
	return n
}

// write renders n so that parsing the text rebuilds an equivalent tree:
// every compound operand is parenthesised, which makes the left-to-right
// rule irrelevant.
func (n *node) write(b *strings.Builder) {
	switch n.op {
	case opAny:
		b.WriteString("( )")
	case opTerm:
		b.WriteString(n.term.String())
	case opNot:
		b.WriteString("not ")
		n.left.operand(b)
	case opAnd, opOr:
		n.left.operand(b)
		if n.op == opAnd {
			b.WriteString(" and ")
		} else {
			b.WriteString(" or ")
		}
		n.right.operand(b)
	}
}

func (n *node) operand(b *strings.Builder) {
	if n.op == opTerm || n.op == opAny {
		n.write(b)
		return
	}
	b.WriteString("( ")
	n.write(b)
	b.WriteString(" )")
}

// terms calls f on every term of the tree, left to right.
func (n *node) terms(f func(Term)) {
	switch n.op {
	case opTerm:
		f(n.term)
	case opAnd, opOr:
		n.left.terms(f)
		n.right.terms(f)
	case opNot:
		n.left.terms(f)
	}
}
