package logs

import "github.com/troveproject/trove/internal/uuid"

// TrustLevel is a repository's trust as recorded in trust.log.
type TrustLevel byte

// Trust levels, with the character trust.log stores for each.
const (
	SemiTrusted TrustLevel = '?'
	Trusted     TrustLevel = '1'
	UnTrusted   TrustLevel = '0'
	DeadTrusted TrustLevel = 'X'
)

// String returns the trust.log character of t.
func (t TrustLevel) String() string { return string(rune(t)) }

var trustLog = oldLog[TrustLevel]{
	parse:  parseTrustLevel,
	format: TrustLevel.String,
}

// parseTrustLevel is git-annex's trustLevelParser: an empty value (very old
// logs listed only trusted repositories) is Trusted, one unknown character
// is SemiTrusted, and anything longer makes the line unparseable.
func parseTrustLevel(s string) (TrustLevel, bool) {
	switch len(s) {
	case 0:
		return Trusted, true
	case 1:
		switch t := TrustLevel(s[0]); t {
		case Trusted, UnTrusted, DeadTrusted:
			return t, true
		}
		return SemiTrusted, true
	}
	return 0, false
}

// ParseTrustLog parses trust.log. Repositories not listed are SemiTrusted.
func ParseTrustLog(b []byte) map[uuid.UUID]Entry[TrustLevel] { return trustLog.parseLog(b) }

// SetTrust returns trust.log old with u's level set to t (`git annex
// trust/semitrust/untrust/dead`).
func SetTrust(old []byte, u uuid.UUID, t TrustLevel, now Timestamp) []byte {
	return trustLog.set(old, u, t, now)
}
