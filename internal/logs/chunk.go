package logs

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/troveproject/trove/internal/uuid"
)

// ChunkField is the field "UUID:CHUNKSIZE" of a chunk log (*.log.cnk).
// Methods this version does not know are kept verbatim in Other, with
// Unknown set, so that rewriting the log preserves them.
type ChunkField struct {
	UUID    uuid.UUID
	Size    int64 // fixed chunk size in bytes, when !Unknown
	Unknown bool
	Other   string
}

// String formats f as the chunk log writes it, "UUID:SIZE".
func (f ChunkField) String() string {
	if f.Unknown {
		return string(f.UUID) + ":" + f.Other
	}
	return string(f.UUID) + ":" + strconv.FormatInt(f.Size, 10)
}

// compareChunkFields is git-annex's Ord on (UUID, ChunkMethod): fixed sizes
// numerically, before unknown methods.
func compareChunkFields(a, b ChunkField) int {
	if c := strings.Compare(string(a.UUID), string(b.UUID)); c != 0 {
		return c
	}
	if a.Unknown != b.Unknown {
		if a.Unknown {
			return 1
		}
		return -1
	}
	if a.Unknown {
		return strings.Compare(a.Other, b.Other)
	}
	return cmp.Compare(a.Size, b.Size)
}

var chunkLog = mapLog[ChunkField, int64]{
	parseField: func(s string) (ChunkField, bool) {
		u, m, ok := strings.Cut(s, ":")
		if !ok {
			return ChunkField{}, false
		}
		if n := leadingDigits(m); n > 0 {
			size, err := strconv.ParseInt(m, 10, 64)
			return ChunkField{UUID: uuid.UUID(u), Size: size}, err == nil
		}
		return ChunkField{UUID: uuid.UUID(u), Unknown: true, Other: m}, true
	},
	formatField: ChunkField.String,
	compare:     compareChunkFields,
	parseValue:  parseDecimal,
	formatValue: func(n int64) string { return strconv.FormatInt(n, 10) },
}

// ParseChunkLog parses a chunk log: per remote and chunk size, the number of
// chunks stored (0 once they were removed).
func ParseChunkLog(b []byte) map[ChunkField]Entry[int64] { return chunkLog.parseLog(b) }

// SetChunkCount returns chunk log old after recording count chunks of size
// chunkSize on remote u (0 when removed), e.g. "1795211134.3196019s
// 09a84c5b-…:5 3".
func SetChunkCount(old []byte, u uuid.UUID, chunkSize, count int64, now Timestamp) []byte {
	return chunkLog.set(old, ChunkField{UUID: u, Size: chunkSize}, count, now)
}

func leadingDigits(s string) int {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	return n
}

// parseDecimal accepts only an unsigned decimal number that fits in int64.
func parseDecimal(s string) (int64, bool) {
	if s == "" || leadingDigits(s) != len(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
