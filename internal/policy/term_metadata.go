package policy

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/units"
)

// metaDataTerm is metadata=FIELD=GLOB, or FIELD<V, FIELD<=V, FIELD>V,
// FIELD>=V. Field names compare case-insensitively; the glob does too.
// Comparisons are numeric when both sides read as numbers, else by string.
type metaDataTerm struct {
	value string
	field string
	op    string
	glob  *Glob
	rhs   string
}

func newMetaDataTerm(value string) (Term, error) {
	i := strings.IndexAny(value, "=<>")
	field, rest := value, ""
	if i >= 0 {
		field, rest = value[:i], value[i:]
	}
	if !legalField(field) {
		return nil, errorf(fmt.Sprintf("Illegal metadata field name, %q", field))
	}
	t := metaDataTerm{value: value, field: field}
	for _, op := range []string{"=", "<=", "<", ">=", ">"} {
		if strings.HasPrefix(rest, op) {
			t.op, t.rhs = op, rest[len(op):]
			break
		}
	}
	if t.op == "" || t.op == "=" {
		g, err := CompileGlob(t.rhs, false, true)
		if err != nil {
			return nil, err
		}
		t.op, t.glob = "=", g
	}
	return t, nil
}

// legalField is git-annex's legalField: an alphanumeric first character,
// then alphanumerics or any of "_-.".
func legalField(f string) bool {
	for i, r := range f {
		alnum := unicode.IsLetter(r) || unicode.IsDigit(r)
		if !alnum && (i == 0 || !strings.ContainsRune("_-.", r)) {
			return false
		}
	}
	return f != ""
}

func (t metaDataTerm) String() string { return "metadata=" + t.value }

func (t metaDataTerm) match(e *eval) (bool, error) {
	if e.env == nil {
		return false, nil
	}
	return withKey(e, func(k key.Key) (bool, error) {
		md, err := e.env.MetaData(e.ctx, k)
		if err != nil {
			return false, err
		}
		for f, vs := range md {
			if !strings.EqualFold(f, t.field) {
				continue
			}
			for _, v := range vs {
				if t.matchValue(v) {
					return true, nil
				}
			}
		}
		return false, nil
	})
}

func (t metaDataTerm) matchValue(v string) bool {
	if t.op == "=" {
		return t.glob.Match(v)
	}
	want, okw := readDouble(t.rhs)
	have, okh := readDouble(v)
	if okw && okh {
		return compareOp(t.op, have, want)
	}
	return compareOp(t.op, v, t.rhs)
}

func compareOp[T float64 | string](op string, a, b T) bool {
	switch op {
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	}
	return a >= b
}

// readDouble is Haskell's readMaybe :: Maybe Double: the whole string,
// surrounding white space allowed, must be one number.
func readDouble(s string) (float64, bool) {
	v, _, rest, ok := units.ReadNumber(s)
	return v, ok && strings.TrimSpace(rest) == ""
}
