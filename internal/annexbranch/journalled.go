package annexbranch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/troveproject/trove/internal/logs"
)

// Journalled lists the branch paths that have an entry in the journal
// (changes not yet committed), in name order. It only reads the journal
// directory and is safe for concurrent use.
func (b *Branch) Journalled() ([]string, error) {
	entries, err := b.listJournal()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.path
	}
	return out, nil
}

// PrivateJournalled lists the branch paths that have an entry in the
// private journal, in directory order (unsorted, as git-annex's
// getJournalledFilesStale reads it, so both list the same order on one
// file system). It is nil when no repository is private: git-annex then
// ignores the private journal, and so does Get. It is safe for
// concurrent use.
func (b *Branch) PrivateJournalled() ([]string, error) {
	if b.private() == nil {
		return nil, nil
	}
	f, err := os.Open(b.privateJournalDir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list private journal: %w", err)
	}
	defer f.Close()
	des, err := f.ReadDir(-1)
	if err != nil {
		return nil, fmt.Errorf("list private journal %s: %w", b.privateJournalDir(), err)
	}
	var out []string
	for _, de := range des {
		if de.Type().IsRegular() {
			out = append(out, logs.BranchPathFromJournal(de.Name()))
		}
	}
	return out, nil
}
