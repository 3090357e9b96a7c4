package logs

import (
	"encoding/base64"
	"strings"

	"github.com/troveproject/trove/internal/uuid"
)

// Content identifier logs (*.log.cid) are map logs whose field is a special
// remote's UUID and whose value is a non-empty ':'-separated list of content
// identifiers; identifiers containing ':', CR or LF, or starting with '!',
// are written as '!' followed by their base64.

var cidLog = mapLog[uuid.UUID, []string]{
	parseField:  func(s string) (uuid.UUID, bool) { return uuid.UUID(s), true },
	formatField: uuid.UUID.String,
	compare:     func(a, b uuid.UUID) int { return strings.Compare(string(a), string(b)) },
	parseValue: func(s string) ([]string, bool) {
		cids := strings.Split(s, ":")
		for i, c := range cids {
			cids[i] = decodeBang(c)
		}
		return cids, true
	},
	formatValue: func(cids []string) string {
		enc := make([]string, len(cids))
		for i, c := range cids {
			enc[i] = encodeBang(c, ":\r\n")
		}
		return strings.Join(enc, ":")
	},
}

// ParseContentIDLog parses a content identifier log.
func ParseContentIDLog(b []byte) map[uuid.UUID]Entry[[]string] { return cidLog.parseLog(b) }

// SetContentIDs returns content identifier log old with remote u's
// identifiers replaced by cids, which must not be empty.
func SetContentIDs(old []byte, u uuid.UUID, cids []string, now Timestamp) []byte {
	return cidLog.set(old, u, cids, now)
}

// encodeBang returns s, or '!' and its base64 when s contains one of the
// bytes in special or starts with '!'.
func encodeBang(s, special string) string {
	if strings.ContainsAny(s, special) || strings.HasPrefix(s, "!") {
		return "!" + base64.StdEncoding.EncodeToString([]byte(s))
	}
	return s
}

// decodeBang reverses encodeBang; a '!' word that is not valid base64 is
// kept as it is, as git-annex does for content identifiers.
func decodeBang(s string) string {
	if d, ok := decodeBase64Bang(s); ok {
		return d
	}
	return s
}

func decodeBase64Bang(s string) (string, bool) {
	rest, ok := strings.CutPrefix(s, "!")
	if !ok {
		return "", false
	}
	d, err := base64.StdEncoding.DecodeString(rest)
	return string(d), err == nil
}
