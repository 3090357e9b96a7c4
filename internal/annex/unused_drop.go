package annex

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/troveproject/trove/internal/remote"
)

// DropUnused drops what entry e of list l stands for, as `git annex
// dropunused` does. Content goes through DropLocal (or DropFrom when rm is
// not nil) with opts.Unused set, so the location log records it dead;
// content no longer here is not an error and changes nothing. A bad or
// tmp entry's file in .git/annex/bad or .git/annex/tmp is deleted (rm
// does not matter for those).
func (r *Repo) DropUnused(ctx context.Context, e UnusedLogEntry, l UnusedList, rm remote.Remote, opts DropOptions) error {
	switch l {
	case UnusedBad, UnusedTmp:
		dir := "bad"
		if l == UnusedTmp {
			dir = "tmp"
		}
		p := filepath.Join(annexDir(r.git), dir, e.Key.File())
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("dropunused %d: %w", e.Number, err)
		}
		return nil
	}
	opts.Unused = true
	it := Item{Key: e.Key}
	if rm != nil {
		_, err := r.DropFrom(ctx, it, rm, opts)
		return err
	}
	has, err := r.objects.Has(e.Key)
	if err != nil || !has {
		return err
	}
	_, err = r.DropLocal(ctx, it, opts)
	return err
}

// AddUnusedError is addunused refused for an entry of the bad or tmp
// list, whose content is not in the object store. Error() is git-annex's
// text.
type AddUnusedError struct{ List UnusedList }

func (e *AddUnusedError) Error() string {
	kind := "bad"
	if e.List == UnusedTmp {
		kind = "tmp"
	}
	return "cannot addunused " + kind + "content"
}

// AddUnused adds, through a, a locked file at path (relative to the top)
// pointing at the key of entry e of list l, as `git annex addunused` does
// with path "unused.<keyfile>" in the current directory, and records the
// content present here when it is. Entries of the bad and tmp lists give
// an *AddUnusedError. Close a to stage the files.
func (r *Repo) AddUnused(ctx context.Context, a *KeyAdder, e UnusedLogEntry, l UnusedList, path string) error {
	if l != UnusedContent {
		return &AddUnusedError{List: l}
	}
	has, err := r.objects.Has(e.Key)
	if err != nil {
		return err
	}
	if has {
		// git-annex records it present even for a list made with --from;
		// only a copy really here is recorded.
		if err := r.logPresent(ctx, e.Key); err != nil {
			return err
		}
	}
	if _, err := a.Add(ctx, e.Key, path); err != nil {
		return fmt.Errorf("addunused %d: %w", e.Number, err)
	}
	return nil
}
