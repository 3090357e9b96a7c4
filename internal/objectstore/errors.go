package objectstore

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"

	"github.com/troveproject/trove/internal/key"
)

var (
	// ErrNotPresent is wrapped when an operation needs content that is not
	// in the store.
	ErrNotPresent = errors.New("content not present")
	// ErrContentLocked is wrapped when a content lock cannot be taken:
	// LockShared while the content is being removed, LockForRemoval while
	// it is in use.
	ErrContentLocked = errors.New("content is locked by another process")
	// ErrModified is wrapped when a file changed while it was being
	// ingested; nothing was ingested and the file was left in place.
	ErrModified = errors.New("file changed while it was being added")
	// ErrBadContent is matched (errors.Is) by every *BadContentError.
	ErrBadContent = errors.New("content does not match its key")
)

// fsNotDir is returned by lstat when a path component is a file.
var fsNotDir = syscall.ENOTDIR

// BadContentError reports content that does not match its key, from Verify
// or an ingest of a known key. errors.Is(err, ErrBadContent) holds.
type BadContentError struct {
	Key  key.Key
	Path string
	// Size is the actual size; WrongSize is set when it differs from the
	// key's size, otherwise the checksum differed.
	Size      int64
	WrongSize bool
	Err       error // the verifier's error, if any
}

func (e *BadContentError) Error() string {
	if e.WrongSize {
		return fmt.Sprintf("%s: bad file size for %s: %d bytes, key says %d", e.Path, e.Key, e.Size, e.Key.Size)
	}
	return fmt.Sprintf("%s: bad checksum for %s: %v", e.Path, e.Key, e.Err)
}

// Is makes errors.Is(err, ErrBadContent) true.
func (e *BadContentError) Is(target error) bool { return target == ErrBadContent }

// Unwrap returns the verifier's error.
func (e *BadContentError) Unwrap() error { return e.Err }

// writeError describes a failed write to the partial file at path: the
// system's error without a second copy of the path, and for a full disk
// or quota what to do next. The partial file is kept, so the next
// attempt resumes from it.
func writeError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return fmt.Errorf("write %s: %w (free some space on its file system, then run the command again: the download resumes from what was written)", path, err)
	}
	return fmt.Errorf("write %s: %w", path, err)
}
