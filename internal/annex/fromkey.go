package annex

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/pointer"
)

// KeyNotPresentError is returned by KeyAdder.Add for a key whose content
// is not in this repository when the adder was not forced.
type KeyNotPresentError struct{ Key key.Key }

func (e *KeyNotPresentError) Error() string {
	return fmt.Sprintf("key (%s) is not present in backend (use --force to override this sanity check)", e.Key)
}

// ExistsError is returned by KeyAdder.Add when the path already holds a
// different file.
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string {
	return e.Path + " already exists with different content"
}

// KeyAdder adds locked files that point at given keys, as `git annex
// fromkey` does. The files are staged together by Close. A KeyAdder is
// not safe for concurrent use.
type KeyAdder struct {
	r     *Repo
	st    *stager
	force bool
	n     int
}

// NewKeyAdder returns a KeyAdder; force allows keys whose content is not
// present. Close it to stage what it added.
func (r *Repo) NewKeyAdder(ctx context.Context, force bool) (*KeyAdder, error) {
	st, err := r.newStager(ctx)
	if err != nil {
		return nil, err
	}
	return &KeyAdder{r: r, st: st, force: force}, nil
}

// Add makes path (relative to the top) a symlink to k, creating parent
// directories. A path that already is a link to k is left as it is
// (changed is false). It fails with *KeyNotPresentError for an absent key
// unless forced, and with *ExistsError when path holds something else.
func (a *KeyAdder) Add(ctx context.Context, k key.Key, path string) (changed bool, err error) {
	if !a.force {
		has, err := a.r.objects.Has(k)
		if err != nil {
			return false, err
		}
		if !has {
			return false, &KeyNotPresentError{Key: k}
		}
	}
	abs := a.r.paths.Abs(path)
	if fi, err := os.Lstat(abs); err == nil {
		if fi.Mode()&fs.ModeSymlink != 0 {
			if target, err := os.Readlink(abs); err == nil {
				if lk, ok := pointer.ParseLink(target); ok && lk == k {
					return false, nil
				}
			}
		}
		return false, &ExistsError{Path: path}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("fromkey %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return false, fmt.Errorf("fromkey %s: %w", path, err)
	}
	if err := a.r.writeLink(path, k); err != nil {
		return false, err
	}
	a.n++
	return true, a.st.addPath(path)
}

// Close stages the added files and reports whether it changed the index.
func (a *KeyAdder) Close(ctx context.Context) (bool, error) {
	defer a.st.close()
	return a.n > 0, a.st.flush(ctx)
}
