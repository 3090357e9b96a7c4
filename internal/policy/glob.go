package policy

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Glob is a compiled git-annex glob (Utility/Glob.hs). git-annex turns a
// glob into a POSIX regular expression and runs it with regex-tdfa in its
// default multi-line mode; Glob reproduces that, quirks included:
//
//   - the whole string must match; '*' matches any run of characters,
//     '/' included; '?' matches one character;
//   - "[...]" and "[!...]" are bracket expressions with POSIX rules, so a
//     ']' right after the opening bracket is a member, and a '\' inside is
//     a literal backslash;
//   - in file-path globs a '/' matches one or more '/', and a '\' matches
//     one or more '\' (it is not an escape character);
//   - '.' and negated brackets do not match a newline, and the match may
//     be any one line of a multi-line string.
//
// A Glob is immutable and safe for concurrent use.
type Glob struct {
	src string
	re  *regexp.Regexp
}

// CompileGlob compiles glob. filePath selects the path-separator handling
// used by include=/exclude=; caseless selects case-insensitive matching
// (used by metadata=). The error names the regular expression git-annex
// would have failed to compile, as git-annex does.
func CompileGlob(glob string, filePath, caseless bool) (*Glob, error) {
	posix := "^" + wildToRegex(glob, filePath) + "$"
	goRE, err := posixToGo(posix)
	if err != nil {
		return nil, fmt.Errorf("failed to compile regex: %s", posix)
	}
	flags := "(?m)"
	if caseless {
		flags = "(?mi)"
	}
	re, err := regexp.Compile(flags + goRE)
	if err != nil {
		return nil, fmt.Errorf("failed to compile regex: %s", posix)
	}
	return &Glob{src: glob, re: re}, nil
}

// Match reports whether s matches the glob.
func (g *Glob) Match(s string) bool { return g.re.MatchString(s) }

// String returns the glob as written.
func (g *Glob) String() string { return g.src }

// wildToRegex writes the POSIX regex git-annex builds for glob.
func wildToRegex(glob string, filePath bool) string {
	var b strings.Builder
	rs := []rune(glob)
	inpat := false
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if inpat {
			switch c {
			case ']':
				b.WriteRune(']')
				inpat = false
			case '\\':
				b.WriteString(`\\`)
			default:
				b.WriteRune(c)
			}
			continue
		}
		switch {
		case c == '*':
			b.WriteString(".*")
		case c == '?':
			b.WriteString(".")
		case c == '[' && i+1 < len(rs) && rs[i+1] == '!':
			b.WriteString("[^")
			i++
			inpat = true
		case c == '[':
			b.WriteString("[")
			inpat = true
		case c == '/' && filePath:
			b.WriteString("[/]+")
		case c == '\\' && filePath:
			b.WriteString(`[\]+`)
		case unicode.IsDigit(c) || unicode.IsLetter(c):
			b.WriteRune(c)
		default:
			b.WriteRune('\\')
			b.WriteRune(c)
		}
	}
	return b.String()
}

// posixToGo rewrites the subset of POSIX extended regular expression that
// wildToRegex produces (anchors, '.', '*', '+', backslash escapes, bracket
// expressions) into Go's syntax with the same meaning.
func posixToGo(re string) (string, error) {
	var b strings.Builder
	rs := []rune(re)
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; c {
		case '^', '$', '.', '*', '+':
			b.WriteRune(c)
		case '\\':
			if i+1 >= len(rs) {
				return "", fmt.Errorf("trailing backslash")
			}
			i++
			writeLiteral(&b, rs[i])
		case '[':
			n, err := bracket(&b, rs[i+1:])
			if err != nil {
				return "", err
			}
			i += n
		default:
			writeLiteral(&b, c)
		}
	}
	return b.String(), nil
}

// bracket converts the POSIX bracket expression whose body starts at rs
// (just after '[') and returns how many runes it consumed, closing ']'
// included.
func bracket(b *strings.Builder, rs []rune) (int, error) {
	i := 0
	negated := false
	if i < len(rs) && rs[i] == '^' {
		negated = true
		i++
	}
	var items []string
	first := true
	for ; ; first = false {
		if i >= len(rs) {
			return 0, fmt.Errorf("unterminated bracket expression")
		}
		c := rs[i]
		if c == ']' && !first {
			i++
			break
		}
		if c == '[' && i+1 < len(rs) && strings.ContainsRune(":=.", rs[i+1]) {
			end := closingOf(rs, i+2, rs[i+1])
			if end < 0 {
				return 0, fmt.Errorf("unterminated class")
			}
			name := string(rs[i+2 : end])
			switch rs[i+1] {
			case ':':
				if _, ok := posixClasses[name]; !ok {
					return 0, fmt.Errorf("unknown class %q", name)
				}
				items = append(items, "[:"+name+":]")
			default:
				if len([]rune(name)) != 1 {
					return 0, fmt.Errorf("unsupported collating element %q", name)
				}
				items = append(items, escapeInClass([]rune(name)[0]))
			}
			i = end + 2
			continue
		}
		if i+2 < len(rs) && rs[i+1] == '-' && rs[i+2] != ']' {
			lo, hi := c, rs[i+2]
			if hi < lo {
				return 0, fmt.Errorf("invalid range %c-%c", lo, hi)
			}
			items = append(items, escapeInClass(lo)+"-"+escapeInClass(hi))
			i += 3
			continue
		}
		items = append(items, escapeInClass(c))
		i++
	}
	b.WriteByte('[')
	if negated {
		b.WriteString(`^\n`)
	}
	for _, it := range items {
		b.WriteString(it)
	}
	b.WriteByte(']')
	return i, nil
}

var posixClasses = map[string]bool{
	"alnum": true, "alpha": true, "blank": true, "cntrl": true, "digit": true, "graph": true,
	"lower": true, "print": true, "punct": true, "space": true, "upper": true, "xdigit": true,
}

func closingOf(rs []rune, from int, delim rune) int {
	for j := from; j+1 < len(rs); j++ {
		if rs[j] == delim && rs[j+1] == ']' {
			return j
		}
	}
	return -1
}

func escapeInClass(c rune) string {
	if unicode.IsLetter(c) || unicode.IsDigit(c) {
		return string(c)
	}
	return fmt.Sprintf(`\x{%x}`, c)
}

func writeLiteral(b *strings.Builder, c rune) {
	b.WriteString(regexp.QuoteMeta(string(c)))
}
