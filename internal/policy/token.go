package policy

import (
	"strings"
	"unicode"
)

// tokKind is the kind of one lexical token.
type tokKind int

const (
	tokTerm tokKind = iota
	tokAnd
	tokOr
	tokNot
	tokOpen
	tokClose
)

// Token is one element of an expression: a term or a piece of syntax.
// Command lines build expressions token by token (--include, --and, -( ...);
// see Generate.
type Token struct {
	kind tokKind
	term Term
}

// TermToken wraps a term.
func TermToken(t Term) Token { return Token{kind: tokTerm, term: t} }

// SyntaxToken returns the token for "and", "or", "not", "(" or ")"; ok is
// false for any other word.
func SyntaxToken(word string) (Token, bool) {
	switch word {
	case "and":
		return Token{kind: tokAnd}, true
	case "or":
		return Token{kind: tokOr}, true
	case "not":
		return Token{kind: tokNot}, true
	case "(":
		return Token{kind: tokOpen}, true
	case ")":
		return Token{kind: tokClose}, true
	}
	return Token{}, false
}

// tokenize splits an expression as git-annex's tokenizeMatcher does: on
// white space, with every '(' and ')' a word of its own. There is no
// quoting.
func tokenize(expr string) []string {
	var words []string
	for _, w := range strings.FieldsFunc(expr, unicode.IsSpace) {
		start := 0
		for i, c := range w {
			if c == '(' || c == ')' {
				if i > start {
					words = append(words, w[start:i])
				}
				words = append(words, string(c))
				start = i + 1
			}
		}
		if start < len(w) {
			words = append(words, w[start:])
		}
	}
	return words
}

// group is git-annex's TokenGroup: one token or a parenthesised list.
type group struct {
	tok     Token
	sub     []group
	isGroup bool
}

func tokenGroups(ts []Token) []group {
	var out []group
	for len(ts) > 0 {
		t := ts[0]
		ts = ts[1:]
		switch t.kind {
		case tokOpen:
			var g group
			g, ts = findClose(ts)
			out = append(out, g)
		case tokClose:
			// A stray ')' is ignored.
		default:
			out = append(out, group{tok: t})
		}
	}
	return out
}

func findClose(ts []Token) (group, []Token) {
	var members []group
	for len(ts) > 0 {
		t := ts[0]
		ts = ts[1:]
		switch t.kind {
		case tokClose:
			return group{sub: members, isGroup: true}, ts
		case tokOpen:
			var g group
			g, ts = findClose(ts)
			members = append(members, g)
		default:
			members = append(members, group{tok: t})
		}
	}
	return group{sub: members, isGroup: true}, nil
}

// implicitAnd inserts "and" between adjacent terms or groups at the top
// level only, as git-annex does.
func implicitAnd(gs []group) []group {
	needs := func(g group) bool { return g.isGroup || g.tok.kind == tokTerm }
	var out []group
	for i, g := range gs {
		if i > 0 && needs(gs[i-1]) && needs(g) {
			out = append(out, group{tok: Token{kind: tokAnd}})
		}
		out = append(out, g)
	}
	return out
}

func process(m *node, gs []group) *node {
	for len(gs) > 0 {
		m, gs = consume(m, gs)
	}
	return m
}

func consume(m *node, gs []group) (*node, []group) {
	if len(gs) == 0 {
		return m, nil
	}
	g, rest := gs[0], gs[1:]
	if g.isGroup {
		return process(m, g.sub), rest
	}
	switch g.tok.kind {
	case tokAnd:
		p, rest := consume(anyNode, rest)
		return and(m, p), rest
	case tokOr:
		p, rest := consume(anyNode, rest)
		return or(m, p), rest
	case tokNot:
		p, rest := consume(anyNode, rest)
		return and(m, not(p)), rest
	case tokTerm:
		return and(m, &node{op: opTerm, term: g.tok.term}), rest
	}
	return consume(m, rest)
}

// Generate builds an expression from tokens exactly as git-annex's
// Utility.Matcher.generate does. An empty list matches everything.
func Generate(tokens []Token) *Expr {
	return &Expr{root: simplify(process(anyNode, implicitAnd(tokenGroups(tokens))))}
}
