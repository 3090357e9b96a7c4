package annexbranch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/logs"
)

func (b *Branch) journalDir() string { return filepath.Join(b.annexDir, "journal") }

// readJournal returns the journal entry of path. A trailing partial line
// (left by an appending writer) is dropped, as git-annex does.
func (b *Branch) readJournal(path string) ([]byte, bool, error) {
	data, err := os.ReadFile(filepath.Join(b.journalDir(), journalName(path)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read journal of %s: %w", path, err)
	}
	if i := lastNL(data); i < len(data)-1 {
		data = data[:i+1]
	}
	return data, true, nil
}

// lastNL is the index of the last newline in data, -1 if none.
func lastNL(data []byte) int {
	for i := len(data) - 1; i >= 0; i-- {
		if data[i] == '\n' {
			return i
		}
	}
	return -1
}

// writeJournal writes the whole new content of path atomically: a temporary
// file in .git/annex/othertmp renamed into the journal.
func (b *Branch) writeJournal(path string, data []byte) error {
	tmp := filepath.Join(b.annexDir, "othertmp")
	for _, d := range []string{b.journalDir(), tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("journal %s: %w", path, err)
		}
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(b.journalDir(), journalName(path)), data, filePerm, tmp); err != nil {
		return fmt.Errorf("journal %s: %w", path, err)
	}
	return nil
}

// journalEntry is one journal file: its name in the journal directory and
// the branch path it stands for.
type journalEntry struct {
	name, path string
}

// listJournal returns the journal entries in name order (os.ReadDir sorts).
func (b *Branch) listJournal() ([]journalEntry, error) {
	des, err := os.ReadDir(b.journalDir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list journal: %w", err)
	}
	var out []journalEntry
	for _, de := range des {
		if de.Type().IsRegular() {
			out = append(out, journalEntry{name: de.Name(), path: logs.BranchPathFromJournal(de.Name())})
		}
	}
	return out, nil
}

// removeJournal deletes committed journal entries.
func (b *Branch) removeJournal(entries []journalEntry) error {
	for _, e := range entries {
		if err := os.Remove(filepath.Join(b.journalDir(), e.name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove committed journal entry: %w", err)
		}
	}
	return nil
}

// JournalDirty reports whether the journal holds changes a Commit would
// commit. Entries of the private journal never count: they are never
// committed.
func (b *Branch) JournalDirty() (bool, error) {
	entries, err := b.listJournal()
	return len(entries) > 0, err
}
