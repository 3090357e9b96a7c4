package policy

import (
	"strings"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/units"
	"github.com/troveproject/trove/internal/uuid"
)

// withKey runs f on the subject's key; a subject without a key does not
// match (git-annex's checkKey).
func withKey(e *eval, f func(key.Key) (bool, error)) (bool, error) {
	k, ok := e.subj.Key()
	if !ok {
		return false, nil
	}
	return f(k)
}

// presentTerm is "present": the content is in repo (the repository whose
// preferred content this is; empty = the local repository).
type presentTerm struct{ repo uuid.UUID }

func (presentTerm) String() string { return "present" }

func (t presentTerm) match(e *eval) (bool, error) {
	if e.env == nil {
		return false, nil
	}
	return withKey(e, func(k key.Key) (bool, error) {
		if t.repo.IsZero() || t.repo == e.env.Here() {
			return e.env.InAnnex(e.ctx, k)
		}
		us, err := e.locations(k)
		return contains(us, t.repo), err
	})
}

// secureHashTerm is "securehash".
type secureHashTerm struct{}

func (secureHashTerm) String() string { return "securehash" }

func (secureHashTerm) match(e *eval) (bool, error) {
	return withKey(e, func(k key.Key) (bool, error) { return SecureHash(k.Variety), nil })
}

// secureVarieties are the backends git-annex calls cryptographically
// secure (Backend/Hash.hs), without the E suffix.
var secureVarieties = map[string]bool{
	"SHA256": true, "SHA512": true, "SHA224": true, "SHA384": true,
	"SHA3_256": true, "SHA3_512": true, "SHA3_224": true, "SHA3_384": true,
	"SKEIN256": true, "SKEIN512": true,
	"BLAKE2B256": true, "BLAKE2B512": true, "BLAKE2B160": true, "BLAKE2B224": true, "BLAKE2B384": true,
	"BLAKE2BP512": true,
	"BLAKE2S256":  true, "BLAKE2S160": true, "BLAKE2S224": true,
	"BLAKE2SP256": true, "BLAKE2SP224": true,
}

// SecureHash reports whether keys of the backend variety are
// cryptographically secure, as the securehash term needs. External
// backends (X...) count as not secure.
func SecureHash(variety string) bool {
	return secureVarieties[strings.TrimSuffix(variety, "E")]
}

// inBackendTerm is inbackend=NAME.
type inBackendTerm struct{ name string }

func (t inBackendTerm) String() string { return "inbackend=" + t.name }

func (t inBackendTerm) match(e *eval) (bool, error) {
	return withKey(e, func(k key.Key) (bool, error) { return k.Variety == t.name, nil })
}

// copiesTerm is copies=N, copies=TRUSTLEVEL[+]:N or copies=GROUP:N.
type copiesTerm struct {
	value   string
	n       int64
	trust   TrustLevel
	byTrust bool
	orAbove bool
	group   string
}

func newCopiesTerm(value string) (Term, error) {
	t := copiesTerm{value: value}
	num := value
	parts := strings.Split(value, ":")
	switch len(parts) {
	case 1:
	case 2:
		spec := parts[0]
		num = parts[1]
		// A group named like a trust level is taken as the trust level.
		if lvl, ok := ParseTrustLevel(strings.TrimSuffix(spec, "+")); ok {
			t.byTrust, t.trust, t.orAbove = true, lvl, strings.HasSuffix(spec, "+")
		} else {
			t.group = spec
		}
	default:
		return nil, errorf("bad value for copies")
	}
	n, _, ok := units.ReadInt(num)
	if !ok {
		return nil, errorf("bad number for copies")
	}
	t.n = n
	return t, nil
}

func (t copiesTerm) String() string { return "copies=" + t.value }

func (t copiesTerm) counts(e *eval, u uuid.UUID) bool {
	switch {
	case t.byTrust && t.orAbove:
		return e.env.TrustLevel(u) >= t.trust
	case t.byTrust:
		return e.env.TrustLevel(u) == t.trust
	case t.group != "":
		return contains(e.env.Groups(u), t.group)
	}
	return true
}

func (t copiesTerm) match(e *eval) (bool, error) {
	return withKey(e, func(k key.Key) (bool, error) {
		us, err := e.locations(k)
		if err != nil {
			return false, err
		}
		var n int64
		for _, u := range us {
			if t.counts(e, u) {
				n++
			}
		}
		return n >= t.n, nil
	})
}

// lackingTerm is lackingcopies=N or approxlackingcopies=N.
type lackingTerm struct {
	value  string
	n      int64
	approx bool
}

func newLackingTerm(word, value string) (Term, error) {
	n, _, ok := units.ReadInt(value)
	if !ok {
		return nil, errorf("bad value for number of lacking copies")
	}
	return lackingTerm{value: value, n: n, approx: word == "approxlackingcopies"}, nil
}

func (t lackingTerm) String() string {
	if t.approx {
		return "approxlackingcopies=" + t.value
	}
	return "lackingcopies=" + t.value
}

func (t lackingTerm) match(e *eval) (bool, error) {
	if e.env == nil {
		return false, nil
	}
	return withKey(e, func(k key.Key) (bool, error) {
		p, hasPath := e.subj.Path()
		if t.approx {
			p, hasPath = "", false
		}
		need, err := e.env.NumCopies(e.ctx, p, hasPath)
		if err != nil {
			return false, err
		}
		us, err := e.locations(k)
		if err != nil {
			return false, err
		}
		var have int64
		for _, u := range us {
			if e.env.TrustLevel(u) != UnTrusted {
				have++
			}
		}
		return int64(need)-have >= t.n, nil
	})
}

// inAllGroupTerm is inallgroup=GROUP.
type inAllGroupTerm struct{ group string }

func (t inAllGroupTerm) String() string { return "inallgroup=" + t.group }

func (t inAllGroupTerm) match(e *eval) (bool, error) {
	if e.env == nil {
		return false, nil
	}
	want := e.env.GroupMembers(t.group)
	if len(want) == 0 {
		return true, nil
	}
	for _, u := range want {
		if e.notPresent[u] {
			return false, nil
		}
	}
	return withKey(e, func(k key.Key) (bool, error) {
		us, err := e.locations(k)
		if err != nil {
			return false, err
		}
		for _, u := range want {
			if !contains(us, u) {
				return false, nil
			}
		}
		return true, nil
	})
}

// unusedTerm is "unused": a key listed by git annex unused. A work-tree
// file is never unused.
type unusedTerm struct{}

func (unusedTerm) String() string { return "unused" }

func (unusedTerm) match(e *eval) (bool, error) {
	if _, ok := e.subj.Path(); ok || e.env == nil {
		return false, nil
	}
	return withKey(e, func(k key.Key) (bool, error) { return e.env.Unused(e.ctx, k) })
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// errorf makes the message of a term that fails to parse.
func errorf(msg string) error { return termError(msg) }

type termError string

func (e termError) Error() string { return string(e) }
