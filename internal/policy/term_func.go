package policy

import "context"

// funcTerm is a term decided by a caller's function.
type funcTerm struct {
	word string
	fn   func(ctx context.Context, env Env, subj Subject) (bool, error)
}

// FuncTerm returns a term for a command-line limit that has no expression
// syntax of its own, such as git-annex's --in=REPO: word is how the term
// prints and fn decides whether a subject matches. fn must be safe for
// concurrent use; an error it returns aborts the evaluation.
func FuncTerm(word string, fn func(ctx context.Context, env Env, subj Subject) (bool, error)) Term {
	return funcTerm{word: word, fn: fn}
}

func (t funcTerm) String() string { return t.word }

func (t funcTerm) match(e *eval) (bool, error) { return t.fn(e.ctx, e.env, e.subj) }
