package remote

import (
	"context"
	"errors"
)

// Error kinds. Remotes wrap them (fmt.Errorf("...: %w", ErrNotPresent)) so
// that commands and the transfer engine can act on the kind while the
// message keeps the detail.
var (
	// ErrNotPresent: the remote does not have the content asked for.
	ErrNotPresent = errors.New("content not present on the remote")
	// ErrUnavailable: the remote cannot be reached (a missing path, a
	// server that does not answer). Retrying later may help.
	ErrUnavailable = errors.New("remote unavailable")
	// ErrReadOnly: the remote does not accept changes.
	ErrReadOnly = errors.New("remote is read-only")
	// ErrLocked: the content is locked on the remote by another process
	// (being removed, or held as a verified copy).
	ErrLocked = errors.New("content is locked on the remote")
	// ErrUnsupported: the remote cannot do what was asked.
	ErrUnsupported = errors.New("not supported by this remote")
)

// permanentError marks an error that retrying cannot fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as one that a retry cannot fix (bad credentials, a
// missing bucket, content that fails verification twice). A nil err stays
// nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// Retryable reports whether a transfer that failed with err may succeed
// when tried again: not for cancellation, absent content, read-only
// remotes, unsupported operations or errors marked Permanent.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	var p permanentError
	switch {
	case errors.As(err, &p),
		errors.Is(err, ErrNotPresent),
		errors.Is(err, ErrReadOnly),
		errors.Is(err, ErrUnsupported),
		errors.Is(err, context.Canceled):
		return false
	}
	return true
}
