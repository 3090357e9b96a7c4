package policy

// TrustLevel is how far git-annex believes a repository's claims. Levels
// are ordered: Dead < UnTrusted < SemiTrusted < Trusted.
type TrustLevel int

// The trust levels, in git-annex's order. The zero value is Dead, so use
// SemiTrusted (the default) explicitly for repositories with no setting.
const (
	Dead TrustLevel = iota
	UnTrusted
	SemiTrusted
	Trusted
)

// ParseTrustLevel parses the words git-annex uses on its command line and
// in copies=LEVEL:N: "trusted", "semitrusted", "untrusted", "dead".
func ParseTrustLevel(word string) (TrustLevel, bool) {
	switch word {
	case "trusted":
		return Trusted, true
	case "semitrusted":
		return SemiTrusted, true
	case "untrusted":
		return UnTrusted, true
	case "dead":
		return Dead, true
	}
	return SemiTrusted, false
}

// String returns the word for t ("semitrusted").
func (t TrustLevel) String() string {
	switch t {
	case Trusted:
		return "trusted"
	case UnTrusted:
		return "untrusted"
	case Dead:
		return "dead"
	}
	return "semitrusted"
}

// LogValue returns t as written in trust.log: "1", "?", "0" or "X".
func (t TrustLevel) LogValue() string {
	switch t {
	case Trusted:
		return "1"
	case UnTrusted:
		return "0"
	case Dead:
		return "X"
	}
	return "?"
}

// ParseTrustLogValue parses a trust.log value as git-annex does: an empty
// value (old logs listed only trusted repositories) is Trusted, and any
// unknown single character is SemiTrusted, leaving room for future levels.
// A value longer than one character is SemiTrusted too.
func ParseTrustLogValue(v string) TrustLevel {
	switch v {
	case "":
		return Trusted
	case "1":
		return Trusted
	case "0":
		return UnTrusted
	case "X":
		return Dead
	}
	return SemiTrusted
}
