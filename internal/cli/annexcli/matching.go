package annexcli

import "strings"

// matchingValueOptions maps git-annex's matching options that take a value
// to the expression term they stand for.
var matchingValueOptions = map[string]string{
	"--include": "include", "-I": "include",
	"--exclude": "exclude", "-x": "exclude",
	"--largerthan": "largerthan", "--smallerthan": "smallerthan",
	"--in": "in", "-i": "in",
	"--copies": "copies", "-C": "copies",
	"--lackingcopies": "lackingcopies", "--approxlackingcopies": "approxlackingcopies",
	"--inbackend": "inbackend", "-B": "inbackend",
	"--inallgroup": "inallgroup", "--metadata": "metadata",
	"--want-get-by": "want-get-by", "--want-drop-by": "want-drop-by",
	"--accessedwithin": "accessedwithin",
	"--mimetype":       "mimetype", "--mimeencoding": "mimeencoding",
}

// matchingFlagOptions maps the matching options without a value to their
// expression token.
var matchingFlagOptions = map[string]string{
	"--not": "not", "--and": "and", "--or": "or", "-(": "(", "-)": ")",
	"--securehash": "securehash", "--want-get": "want-get", "--want-drop": "want-drop",
	"--unlocked": "unlocked", "--locked": "locked",
	"--anything": "anything", "--nothing": "nothing",
}

// MatchTerm is one token of a matching expression taken from the command
// line. Value is set for terms such as include=GLOB; the glob may contain
// spaces, so terms are kept apart rather than joined into one string.
type MatchTerm struct {
	Name  string
	Value string
	// HasValue distinguishes "include=" (empty glob) from a bare token.
	HasValue bool
}

// String renders the term as it would appear in an expression.
func (t MatchTerm) String() string {
	if t.HasValue {
		return t.Name + "=" + t.Value
	}
	return t.Name
}

// extractMatching removes git-annex's matching options from args, keeping
// their order (it matters: --not, --and, --or and -( -) combine the terms
// around them), and returns the remaining arguments and the terms. Arguments
// after "--" are left alone.
func extractMatching(args []string) (rest []string, terms []MatchTerm) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if tok, ok := matchingFlagOptions[a]; ok {
			terms = append(terms, MatchTerm{Name: tok})
			continue
		}
		name, val, hasEq := strings.Cut(a, "=")
		if !strings.HasPrefix(a, "--") {
			// Short options take their value separately or glued on: -Ifoo.
			name, val, hasEq = a, "", false
			if len(a) > 2 && a[0] == '-' {
				if _, ok := matchingValueOptions[a[:2]]; ok {
					name, val, hasEq = a[:2], a[2:], true
				}
			}
		}
		term, ok := matchingValueOptions[name]
		if !ok {
			rest = append(rest, a)
			continue
		}
		if !hasEq {
			if i+1 >= len(args) {
				rest = append(rest, a) // let the flag parser report the missing value
				continue
			}
			i++
			val = args[i]
		}
		terms = append(terms, MatchTerm{Name: term, Value: val, HasValue: true})
	}
	return rest, terms
}
