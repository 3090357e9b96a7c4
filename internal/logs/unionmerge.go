package logs

import (
	"bytes"
	"slices"
)

// UnionMerge merges two versions of a branch file as git-annex's union
// merge does: the set of lines of both (split on LF, a final empty piece
// dropped; empty lines are kept), sorted bytewise, deduplicated, each ended
// by LF. The result is empty when both inputs are.
func UnionMerge(a, b []byte) []byte {
	lines := append(gitLines(a), gitLines(b)...)
	if len(lines) == 0 {
		return nil
	}
	slices.SortFunc(lines, bytes.Compare)
	lines = slices.CompactFunc(lines, bytes.Equal)
	var out bytes.Buffer
	for _, l := range lines {
		out.Write(l)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// gitLines splits like Haskell's lines.
func gitLines(b []byte) [][]byte {
	if len(b) == 0 {
		return nil
	}
	return bytes.Split(bytes.TrimSuffix(b, []byte{'\n'}), []byte{'\n'})
}
