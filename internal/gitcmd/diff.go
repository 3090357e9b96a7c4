package gitcmd

import (
	"context"
	"fmt"
	"iter"
	"strings"
)

// DiffEntry is one change in `git diff-* --raw -z` output.
type DiffEntry struct {
	SrcMode, DstMode string // "000000" for a side without the file
	SrcSHA, DstSHA   string // all zeros for a side without the file (or unhashed work-tree content)
	Status           string // "A", "D", "M", "T", "U", "X", or "R"/"C" with a score such as "R100"
	SrcPath          string // the source path of a rename or copy, "" otherwise
	Path             string
}

// DiffIndex yields the changes `git diff-index --raw -z ARGS...` reports.
func (r *Repo) DiffIndex(ctx context.Context, args ...string) iter.Seq2[DiffEntry, error] {
	return diffEntries(r.Records(ctx, append([]string{"diff-index", "--raw", "-z"}, args...)...))
}

// DiffTree yields the changes `git diff-tree --raw -z ARGS...` reports. The
// commit id diff-tree prints before the changes of a single commit is skipped.
func (r *Repo) DiffTree(ctx context.Context, args ...string) iter.Seq2[DiffEntry, error] {
	return diffEntries(r.Records(ctx, append([]string{"diff-tree", "--raw", "-z"}, args...)...))
}

// diffEntries assembles raw diff records: a ":"-header followed by one path,
// or two for renames and copies.
func diffEntries(recs iter.Seq2[[]byte, error]) iter.Seq2[DiffEntry, error] {
	return func(yield func(DiffEntry, error) bool) {
		var cur DiffEntry
		want := 0 // paths still expected for cur
		for rec, err := range recs {
			if err != nil {
				yield(DiffEntry{}, err)
				return
			}
			switch {
			case want == 0 && len(rec) > 0 && rec[0] == ':':
				cur, err = ParseDiffHeader(rec)
				if err != nil {
					yield(DiffEntry{}, err)
					return
				}
				want = 1
				if cur.Status[0] == 'R' || cur.Status[0] == 'C' {
					want = 2
				}
			case want == 0:
				// A commit id from diff-tree; not a change.
			case want == 2:
				cur.SrcPath = string(rec)
				want = 1
			default:
				cur.Path = string(rec)
				want = 0
				if !yield(cur, nil) {
					return
				}
			}
		}
		if want != 0 {
			yield(DiffEntry{}, fmt.Errorf("raw diff output ends inside an entry"))
		}
	}
}

// ParseDiffHeader parses the header of a raw diff record:
// ":SRCMODE SP DSTMODE SP SRCSHA SP DSTSHA SP STATUS". Paths are left empty.
func ParseDiffHeader(rec []byte) (DiffEntry, error) {
	s, ok := strings.CutPrefix(string(rec), ":")
	f := strings.Split(s, " ")
	if !ok || len(f) != 5 || !validMode(f[0]) || !validMode(f[1]) ||
		!validSHA(f[2]) || !validSHA(f[3]) || f[4] == "" || !strings.ContainsRune("ACDMRTUX", rune(f[4][0])) {
		return DiffEntry{}, fmt.Errorf("bad raw diff header %q", rec)
	}
	return DiffEntry{SrcMode: f[0], DstMode: f[1], SrcSHA: f[2], DstSHA: f[3], Status: f[4]}, nil
}
