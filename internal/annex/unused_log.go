package annex

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
)

// UnusedList names one of the three lists `git annex unused` writes.
type UnusedList int

// The lists of `git annex unused`, numbered consecutively in this order.
const (
	// UnusedContent is .git/annex/unused: content no ref uses.
	UnusedContent UnusedList = iota
	// UnusedBad is .git/annex/badunused: objects fsck moved to .git/annex/bad.
	UnusedBad
	// UnusedTmp is .git/annex/tmpunused: partial downloads in .git/annex/tmp.
	UnusedTmp
)

// unusedLists are the lists in numbering order.
var unusedLists = []UnusedList{UnusedContent, UnusedBad, UnusedTmp}

// FileName is the list's file name in .git/annex.
func (l UnusedList) FileName() string {
	switch l {
	case UnusedBad:
		return "badunused"
	case UnusedTmp:
		return "tmpunused"
	}
	return "unused"
}

// UnusedLogEntry is one line "N KEY TIMESTAMP" of an unused list. Since
// is when the key was first found unused; it is unknown for lines
// written without one (older git-annex).
type UnusedLogEntry struct {
	Number int
	Key    key.Key
	Since  logs.Timestamp
}

// ParseUnusedLog parses an unused list as git-annex's readUnusedLog does:
// the number before the first space, the timestamp after the last one,
// the key between them (or, without a timestamp, everything after the
// number). Lines that do not parse are skipped. Entries come in file order.
func ParseUnusedLog(data []byte) []UnusedLogEntry {
	var out []UnusedLogEntry
	for line := range bytes.Lines(data) {
		s := strings.TrimSuffix(string(line), "\n")
		num, rest, ok := strings.Cut(s, " ")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 0 || num[0] == '+' {
			continue
		}
		e := UnusedLogEntry{Number: n}
		if i := strings.LastIndexByte(rest, ' '); i >= 0 {
			if ts, err := logs.ParseTimestamp(rest[i+1:]); err == nil {
				if k, err := key.Parse(rest[:i]); err == nil {
					e.Key, e.Since = k, ts
					out = append(out, e)
				}
				continue
			}
		}
		if k, err := key.Parse(rest); err == nil {
			e.Key = k
			out = append(out, e)
		}
	}
	return out
}

// FormatUnusedLog writes entries as git-annex's writeUnusedLog does: one
// line per key, ordered by key (git-annex writes a Map keyed by Key), the
// timestamp left out when unknown.
func FormatUnusedLog(entries []UnusedLogEntry) []byte {
	sorted := slices.Clone(entries)
	slices.SortStableFunc(sorted, func(a, b UnusedLogEntry) int { return compareKeys(a.Key, b.Key) })
	var b bytes.Buffer
	for _, e := range sorted {
		b.WriteString(strconv.Itoa(e.Number))
		b.WriteByte(' ')
		b.WriteString(e.Key.String())
		if e.Since.IsKnown() {
			b.WriteByte(' ')
			b.WriteString(e.Since.String())
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// compareKeys orders keys as git-annex's derived Ord on KeyData: by name
// first, then variety, size, mtime and chunk fields (absent before
// present).
func compareKeys(a, b key.Key) int {
	return cmp.Or(
		strings.Compare(a.Name, b.Name),
		strings.Compare(a.Variety, b.Variety),
		compareMaybe(a.HasSize, a.Size, b.HasSize, b.Size),
		compareMaybe(a.HasMtime, a.Mtime, b.HasMtime, b.Mtime),
		compareMaybe(a.ChunkSize != 0, a.ChunkSize, b.ChunkSize != 0, b.ChunkSize),
		compareMaybe(a.ChunkNum != 0, a.ChunkNum, b.ChunkNum != 0, b.ChunkNum),
	)
}

// compareMaybe orders Haskell Maybe values: Nothing first.
func compareMaybe(aok bool, a int64, bok bool, b int64) int {
	switch {
	case aok != bok:
		if aok {
			return 1
		}
		return -1
	case !aok:
		return 0
	}
	return cmp.Compare(a, b)
}

// unusedLogPath is the path of list l.
func (r *Repo) unusedLogPath(l UnusedList) string {
	return filepath.Join(annexDir(r.git), l.FileName())
}

// readUnusedLog reads list l; a missing list is empty.
func (r *Repo) readUnusedLog(l UnusedList) ([]UnusedLogEntry, error) {
	p := r.unusedLogPath(l)
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the unused list %s: %w", p, err)
	}
	return ParseUnusedLog(data), nil
}

// writeUnusedLog replaces list l by keys numbered from first, keeping the
// first-seen time of keys the old list had and stamping the others now.
func (r *Repo) writeUnusedLog(l UnusedList, keys []key.Key, first int) ([]UnusedLogEntry, error) {
	old, err := r.readUnusedLog(l)
	if err != nil {
		return nil, err
	}
	since := make(map[key.Key]logs.Timestamp, len(old))
	for _, e := range old {
		since[e.Key] = e.Since
	}
	now := r.now()
	entries := make([]UnusedLogEntry, len(keys))
	for i, k := range keys {
		ts, ok := since[k]
		if !ok {
			ts = now
		}
		entries[i] = UnusedLogEntry{Number: first + i, Key: k, Since: ts}
	}
	p := r.unusedLogPath(l)
	if err := fsutil.WriteFileAtomic(p, FormatUnusedLog(entries), 0o644, ""); err != nil {
		return nil, fmt.Errorf("write the unused list %s: %w", p, err)
	}
	return entries, nil
}
