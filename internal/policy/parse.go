package policy

import (
	"fmt"
	"strings"

	"github.com/troveproject/trove/internal/uuid"
)

// Mode selects which terms an expression may use.
type Mode int

const (
	// LargeFilesMode is annex.largefiles and annex.addunlocked: anything,
	// nothing, include=, exclude=, largerthan=, smallerthan=, unused,
	// mimetype=, mimeencoding=.
	LargeFilesMode Mode = iota
	// PreferredMode is preferred and required content: the keyless terms
	// plus present, securehash, copies=, lackingcopies=,
	// approxlackingcopies=, inbackend=, metadata=, inallgroup=, unused,
	// inpreferreddir, standard and groupwanted.
	PreferredMode
)

// ParseOptions adjusts parsing.
type ParseOptions struct {
	// Mime accepts mimetype= and mimeencoding=, for callers whose subjects
	// implement MimeSubject. Without it they are a parse error, as in a
	// git-annex built without libmagic.
	Mime bool
	// Repo is the repository whose preferred content is parsed: "present"
	// asks whether it has the content. Empty means the local repository.
	Repo uuid.UUID
	// PreferredDir is the directory inpreferreddir looks for (the remote's
	// preferreddir setting); empty means "public".
	PreferredDir string
	// expand resolves standard and groupwanted; nil means both fall back
	// to matching present content (see ParsePreferred).
	expand func(word string) (*Expr, error)
}

// Problem is one token that failed to parse.
type Problem struct {
	Token string // the token as written
	Msg   string // git-annex's message, e.g. `bad size` or `near "foo"`
}

// ParseError lists every token of an expression that failed to parse.
type ParseError struct {
	Expr     string
	Problems []Problem
}

// Error names the bad tokens: `bad expression "largerthan=x": largerthan=x: bad size`.
func (e *ParseError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = fmt.Sprintf("%q: %s", p.Token, p.Msg)
	}
	return fmt.Sprintf("bad expression %q: %s", e.Expr, strings.Join(parts, "; "))
}

// GitAnnexMessage returns git-annex's wording, as printed after
// "bad annex.largefiles configuration in git config: " and similar:
// `Parse failure: near "foo" Parse failure: bad size`.
func (e *ParseError) GitAnnexMessage() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = "Parse failure: " + p.Msg
	}
	return strings.Join(parts, " ")
}

// Parse parses expr. On failure the error is a *ParseError naming every
// bad token.
func Parse(mode Mode, expr string, opts ParseOptions) (*Expr, error) {
	words := tokenize(expr)
	tokens := make([]Token, 0, len(words))
	var problems []Problem
	for _, w := range words {
		t, err := ParseToken(mode, w, opts)
		if err != nil {
			problems = append(problems, Problem{Token: w, Msg: err.Error()})
			continue
		}
		tokens = append(tokens, t)
	}
	if problems != nil {
		return nil, &ParseError{Expr: expr, Problems: problems}
	}
	return Generate(tokens), nil
}

// ParseToken parses one word of an expression: syntax or a term. It is
// what a command line uses to turn --include=GLOB into a token
// (ParseToken(mode, "include="+glob, opts)). The error is git-annex's
// message for the word.
func ParseToken(mode Mode, word string, opts ParseOptions) (Token, error) {
	if t, ok := SyntaxToken(word); ok {
		return t, nil
	}
	name, value, hasValue := strings.Cut(word, "=")
	term, err := parseTerm(mode, word, name, value, hasValue, opts)
	if err != nil {
		return Token{}, err
	}
	return TermToken(term), nil
}

func parseTerm(mode Mode, word, name, value string, hasValue bool, opts ParseOptions) (Term, error) {
	near := errorf(fmt.Sprintf("near %q", word))
	simple := func(t Term) (Term, error) {
		if hasValue {
			return nil, near
		}
		return t, nil
	}
	switch name {
	case "anything":
		return simple(Anything)
	case "nothing":
		return simple(Nothing)
	case "include", "exclude":
		return newGlobTerm(name, value)
	case "largerthan", "smallerthan":
		return newSizeTerm(name, value)
	case "unused":
		return simple(unusedTerm{})
	}
	if mode == LargeFilesMode {
		switch name {
		case "mimetype", "mimeencoding":
			if !opts.Mime {
				return nil, errorf(fmt.Sprintf("%q not supported; not built with MagicMime support", name))
			}
			g, err := CompileGlob(value, false, false)
			if err != nil {
				return nil, err
			}
			return mimeTerm{word: name, glob: g}, nil
		}
		return nil, near
	}
	switch name {
	case "standard", "groupwanted":
		if hasValue {
			return nil, near
		}
		return expandTerm(name, opts)
	case "inpreferreddir":
		dir := opts.PreferredDir
		if dir == "" {
			dir = "public"
		}
		return simple(inDirTerm{dir: dir})
	case "present":
		return simple(presentTerm{repo: opts.Repo})
	case "securehash":
		return simple(secureHashTerm{})
	case "copies":
		return newCopiesTerm(value)
	case "lackingcopies", "approxlackingcopies":
		return newLackingTerm(name, value)
	case "inbackend":
		return inBackendTerm{name: value}, nil
	case "metadata":
		return newMetaDataTerm(value)
	case "inallgroup":
		return inAllGroupTerm{group: value}, nil
	}
	return nil, near
}
