package policy

// Term is one operation of an expression, such as include=*.jpg or
// copies=archive:1. Terms are immutable.
type Term interface {
	// String returns the term as written in an expression.
	String() string
	match(e *eval) (bool, error)
}

// constTerm is anything or nothing.
type constTerm struct {
	word  string
	value bool
}

func (t constTerm) String() string            { return t.word }
func (t constTerm) match(*eval) (bool, error) { return t.value, nil }

// Anything and Nothing are the terms "anything" and "nothing".
var (
	Anything Term = constTerm{"anything", true}
	Nothing  Term = constTerm{"nothing", false}
)
