package annex

import (
	"fmt"
	"regexp"
	"strings"
)

// RefSpec is annex.used-refspec (or --used-refspec): which refs count as
// using content. It is a ':'-separated list of items applied in order:
// "+GLOB" adds the refs matching GLOB, "+REF" adds REF, "-GLOB" removes
// the refs added so far that match, "reflog" adds every commit in the
// reflogs of the refs. The zero RefSpec is git-annex's default, "+*".
type RefSpec struct {
	items []refSpecItem
}

type refSpecItem struct {
	kind refSpecKind
	ref  string            // addRef
	glob func(string) bool // addMatching, removeMatching
}

type refSpecKind int

const (
	addRef refSpecKind = iota
	addMatching
	addRefLog
	removeMatching
)

// ParseRefSpec parses a refspec as git-annex's parseRefSpec does. An item
// without '+' or '-' (other than "reflog") is an error naming it.
func ParseRefSpec(s string) (RefSpec, error) {
	var spec RefSpec
	var bad []string
	for _, item := range strings.Split(s, ":") {
		switch {
		case strings.HasPrefix(item, "+") && strings.ContainsAny(item[1:], "*?"):
			spec.items = append(spec.items, refSpecItem{kind: addMatching, glob: compileGlob(item[1:])})
		case strings.HasPrefix(item, "+"):
			spec.items = append(spec.items, refSpecItem{kind: addRef, ref: item[1:]})
		case strings.HasPrefix(item, "-"):
			spec.items = append(spec.items, refSpecItem{kind: removeMatching, glob: compileGlob(item[1:])})
		case item == "reflog":
			spec.items = append(spec.items, refSpecItem{kind: addRefLog})
		default:
			bad = append(bad, fmt.Sprintf("bad refspec item %q (expected + or - prefix)", item))
		}
	}
	if len(bad) > 0 {
		return RefSpec{}, fmt.Errorf("Parse error %s", strings.Join(bad, ", ")) //nolint:staticcheck // git-annex's words
	}
	return spec, nil
}

// defaultRefSpec is "+*".
var defaultRefSpec = RefSpec{items: []refSpecItem{{kind: addMatching, glob: compileGlob("*")}}}

// apply selects from refs (full ref names, in show-ref order) as
// git-annex's applyRefSpec does, including its quirk of returning the
// refs each item adds in reverse. reflog is called at most once.
func (s RefSpec) apply(refs []string, reflog func() ([]string, error)) ([]string, error) {
	items := s.items
	if items == nil {
		items = defaultRefSpec.items
	}
	var c []string // newest first, reversed at the end
	for _, it := range items {
		switch it.kind {
		case addRef:
			c = append([]string{it.ref}, c...)
		case addMatching:
			var add []string
			for _, r := range refs {
				if it.glob(r) {
					add = append(add, r)
				}
			}
			c = append(add, c...)
		case addRefLog:
			rl, err := reflog()
			if err != nil {
				return nil, err
			}
			c = append(rl, c...)
		case removeMatching:
			kept := c[:0:0]
			for _, r := range c {
				if !it.glob(r) {
					kept = append(kept, r)
				}
			}
			c = kept
		}
	}
	out := make([]string, len(c))
	for i, r := range c {
		out[len(c)-1-i] = r
	}
	return out, nil
}

// compileGlob turns a git-annex glob into a matcher: '*' matches any
// string, '/' included; '?' any one character; "[...]" a class ("[!...]"
// negated); everything else itself. A glob that cannot be compiled (a
// bad class range, bytes that are not UTF-8) matches only itself.
func compileGlob(g string) func(string) bool {
	var b strings.Builder
	b.WriteString(`^(?s:`)
	for i := 0; i < len(g); i++ {
		switch c := g[i]; c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '[':
			j := i + 1
			if j < len(g) && (g[j] == '!' || g[j] == '^') {
				j++
			}
			if j < len(g) && g[j] == ']' {
				j++
			}
			for j < len(g) && g[j] != ']' {
				j++
			}
			if j >= len(g) {
				b.WriteString(regexp.QuoteMeta("["))
				continue
			}
			class := g[i+1 : j]
			neg := strings.HasPrefix(class, "!") || strings.HasPrefix(class, "^")
			if neg {
				class = class[1:]
			}
			b.WriteByte('[')
			if neg {
				b.WriteByte('^')
			}
			for _, r := range class {
				if r == '\\' || r == '[' || r == ']' || r == '^' {
					b.WriteByte('\\')
				}
				b.WriteRune(r)
			}
			b.WriteByte(']')
			i = j
		default:
			b.WriteString(regexp.QuoteMeta(g[i : i+1]))
		}
	}
	b.WriteString(`)$`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return func(s string) bool { return s == g }
	}
	return re.MatchString
}
