package policy

import "strings"

// LargeFiles parses an annex.largefiles expression. An empty expression
// matches every file (an unset annex.largefiles makes every file large for
// git annex add). mimetype= and mimeencoding= are rejected; use Parse with
// ParseOptions.Mime to accept them.
func LargeFiles(expr string) (*Expr, error) {
	return Parse(LargeFilesMode, expr, ParseOptions{})
}

// AddUnlocked parses annex.addunlocked: a git boolean ("true", "yes",
// "on", "1", and their negations "false", "no", "off", "0", compared
// case-insensitively) or an expression in LargeFilesMode.
func AddUnlocked(value string) (*Expr, error) {
	switch strings.ToLower(value) {
	case "true", "yes", "on", "1":
		return Generate([]Token{TermToken(Anything)}), nil
	case "false", "no", "off", "0", "":
		return Generate([]Token{TermToken(Nothing)}), nil
	}
	return LargeFiles(value)
}
