package transfer

import (
	"errors"
	"fmt"

	"github.com/troveproject/trove/internal/key"
)

var (
	// ErrInProgress is wrapped when another process or goroutine holds the
	// transfer lock for the same key, direction and remote. The text is
	// git-annex's.
	ErrInProgress = errors.New("transfer already in progress, or unable to take transfer lock")
	// ErrStalled is wrapped when stall detection cancelled an attempt that
	// was then not retried.
	ErrStalled = errors.New("transfer stalled")
	// ErrVerification is wrapped when retrieved content did not match its
	// key (twice: a first mismatch is retried). The text is git-annex's.
	ErrVerification = errors.New("verification of content failed")
)

// Error is a failed transfer. Its text names the action, the file (or the
// key when there is no file) and the remote: "get photos/a.jpg from nas:
// ...", "copy a.txt to backup: ...". errors.Is/As see the cause.
type Error struct {
	Direction Direction
	Key       key.Key
	File      string // work-tree path, or ""
	Remote    string // remote name
	Err       error
}

func (e *Error) Error() string {
	what := e.File
	if what == "" {
		what = e.Key.String()
	}
	if e.Direction == Upload {
		return fmt.Sprintf("copy %s to %s: %v", what, e.Remote, e.Err)
	}
	return fmt.Sprintf("get %s from %s: %v", what, e.Remote, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }
