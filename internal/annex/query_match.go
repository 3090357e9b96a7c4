package annex

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/policy"
)

// Matcher selects files and keys by git-annex's command-line matching
// options (--include, --in, --copies, --not, -( ...). It is safe for
// concurrent use.
type Matcher struct {
	expr  *policy.Expr
	env   *queryEnv
	empty bool
}

// NewMatcher builds the matcher of a command line's matching options, given
// as expression words in their command-line order: "include=*.jpg",
// "in=origin", "not", "(", "locked". A word that does not parse is an error
// naming it. No words give a matcher that matches everything.
func (r *Repo) NewMatcher(ctx context.Context, words []string) (*Matcher, error) {
	env, err := r.queryEnv(ctx)
	if err != nil {
		return nil, err
	}
	tokens := make([]policy.Token, 0, len(words))
	var problems []string
	for _, w := range words {
		t, err := r.matchToken(ctx, w)
		if err != nil {
			problems = append(problems, fmt.Sprintf("--%s: %v", strings.TrimSuffix(w, "="), err))
			continue
		}
		tokens = append(tokens, t)
	}
	if problems != nil {
		return nil, errors.New(strings.Join(problems, "; "))
	}
	return &Matcher{expr: policy.Generate(tokens), env: env, empty: len(words) == 0}, nil
}

// matchToken turns one command-line word into an expression token.
func (r *Repo) matchToken(ctx context.Context, w string) (policy.Token, error) {
	name, value, _ := strings.Cut(w, "=")
	switch name {
	case "in":
		return r.inToken(ctx, w, value)
	case "locked":
		return policy.TermToken(policy.Locked), nil
	case "unlocked":
		return policy.TermToken(policy.Unlocked), nil
	case "want-get", "want-drop", "want-get-by", "want-drop-by", "accessedwithin", "mimetype", "mimeencoding":
		return policy.Token{}, fmt.Errorf("%s is not supported by this version of trove", name)
	}
	return policy.ParseToken(policy.PreferredMode, w, policy.ParseOptions{})
}

// inToken is --in=REPO: the content is in REPO ("here" checks the local
// object store, others the location log).
func (r *Repo) inToken(ctx context.Context, word, name string) (policy.Token, error) {
	u, err := r.FindRepo(ctx, name)
	if err != nil {
		return policy.Token{}, err
	}
	return policy.TermToken(policy.FuncTerm(word, func(ctx context.Context, env policy.Env, subj policy.Subject) (bool, error) {
		k, ok := subj.Key()
		if !ok {
			return false, nil
		}
		if u == env.Here() {
			return env.InAnnex(ctx, k)
		}
		locs, err := env.Locations(ctx, k)
		return slices.Contains(locs, u), err
	})), nil
}

// IsEmpty reports whether no matching option was given.
func (m *Matcher) IsEmpty() bool { return m.empty }

// MatchFile reports whether f is selected.
func (m *Matcher) MatchFile(ctx context.Context, f AnnexedFile) (bool, error) {
	if m.empty {
		return true, nil
	}
	return m.expr.Match(ctx, m.env, annexedSubject{f})
}

// MatchKey reports whether k (with no work-tree file) is selected.
func (m *Matcher) MatchKey(ctx context.Context, k key.Key) (bool, error) {
	if m.empty {
		return true, nil
	}
	return m.expr.Match(ctx, m.env, keySubject{k})
}

// annexedSubject is an annexed work-tree file as a policy.Subject; its
// size is the key's.
type annexedSubject struct{ f AnnexedFile }

func (s annexedSubject) Path() (string, bool) { return s.f.Path, true }
func (s annexedSubject) Size() (int64, bool)  { return s.f.Key.Size, s.f.Key.HasSize }
func (s annexedSubject) Key() (key.Key, bool) { return s.f.Key, true }
func (s annexedSubject) Locked() (bool, bool) { return !s.f.Unlocked, true }

// keySubject is a key given without a file (--key).
type keySubject struct{ k key.Key }

func (s keySubject) Path() (string, bool) { return "", false }
func (s keySubject) Size() (int64, bool)  { return s.k.Size, s.k.HasSize }
func (s keySubject) Key() (key.Key, bool) { return s.k, true }
