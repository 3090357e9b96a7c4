package policy

import (
	"strings"

	"github.com/troveproject/trove/internal/units"
)

// globTerm is include=GLOB or exclude=GLOB.
type globTerm struct {
	word    string
	glob    *Glob
	exclude bool
}

func newGlobTerm(word, value string) (Term, error) {
	g, err := CompileGlob(value, true, false)
	if err != nil {
		return nil, err
	}
	return globTerm{word: word, glob: g, exclude: word == "exclude"}, nil
}

func (t globTerm) String() string { return t.word + "=" + t.glob.String() }

func (t globTerm) match(e *eval) (bool, error) {
	p, ok := e.subj.Path()
	if !ok {
		return false, nil
	}
	return t.glob.Match(p) != t.exclude, nil
}

// sizeTerm is largerthan=SIZE or smallerthan=SIZE.
type sizeTerm struct {
	word    string
	value   string
	size    int64
	smaller bool
}

func newSizeTerm(word, value string) (Term, error) {
	n, err := units.ParseSize(value)
	if err != nil {
		return nil, errorf("bad size")
	}
	return sizeTerm{word: word, value: value, size: n, smaller: word == "smallerthan"}, nil
}

func (t sizeTerm) String() string { return t.word + "=" + t.value }

// match compares as git-annex compares Maybe Integer: an unknown size is
// smaller than every size.
func (t sizeTerm) match(e *eval) (bool, error) {
	n, ok := e.subj.Size()
	if !ok {
		return t.smaller, nil
	}
	if t.smaller {
		return n < t.size, nil
	}
	return n > t.size, nil
}

// inDirTerm is inpreferreddir: the file's parent directory is named dir.
type inDirTerm struct{ dir string }

func (t inDirTerm) String() string { return "inpreferreddir" }

// match reproduces git-annex's elem dir (splitPath (takeDirectory f)):
// splitPath keeps the '/' on every component but the last, so only the
// innermost directory can equal dir.
func (t inDirTerm) match(e *eval) (bool, error) {
	p, ok := e.subj.Path()
	if !ok {
		return false, nil
	}
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return t.dir == ".", nil
	}
	dir := strings.TrimRight(p[:i], "/")
	dir = dir[strings.LastIndexByte(dir, '/')+1:]
	return dir == t.dir, nil
}

// mimeTerm is mimetype=GLOB or mimeencoding=GLOB.
type mimeTerm struct {
	word string
	glob *Glob
}

func (t mimeTerm) String() string { return t.word + "=" + t.glob.String() }

func (t mimeTerm) match(e *eval) (bool, error) {
	ms, ok := e.subj.(MimeSubject)
	if !ok {
		return false, nil
	}
	var v string
	if t.word == "mimetype" {
		v, ok = ms.MimeType()
	} else {
		v, ok = ms.MimeEncoding()
	}
	return ok && t.glob.Match(v), nil
}

// lockTerm is the --locked / --unlocked command-line limit.
type lockTerm struct{ locked bool }

// Locked and Unlocked are the --locked and --unlocked limits of
// git-annex-matching-options; they are not part of the expression
// language. They match only subjects implementing LockSubject.
var (
	Locked   Term = lockTerm{true}
	Unlocked Term = lockTerm{false}
)

func (t lockTerm) String() string {
	if t.locked {
		return "locked"
	}
	return "unlocked"
}

func (t lockTerm) match(e *eval) (bool, error) {
	ls, ok := e.subj.(LockSubject)
	if !ok {
		return false, nil
	}
	locked, known := ls.Locked()
	return known && locked == t.locked, nil
}
