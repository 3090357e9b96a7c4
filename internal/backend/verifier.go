package backend

import (
	"encoding/hex"
	"errors"
	"fmt"
	"hash"

	"github.com/troveproject/trove/internal/key"
)

var (
	// ErrMismatch is wrapped by Verify when content does not match its key.
	ErrMismatch = errors.New("content does not match key")
	// ErrNotVerifiable is returned by NewVerifier for keys whose content
	// cannot be checked by hashing: WORM, URL, unknown or external
	// backends, and chunk keys. Callers then check only the size.
	ErrNotVerifiable = errors.New("key cannot be verified by its backend")
)

// Verifier checks content against a hash key while the content streams
// through it. Write the whole content, then call Verify. A Verifier is not
// safe for concurrent use.
type Verifier struct {
	key  key.Key
	hash hash.Hash
	n    int64
}

// NewVerifier returns a Verifier for k. It returns an error wrapping
// ErrNotVerifiable when k's backend is not a known hash backend or k is a
// chunk key (a chunk's content is not what the key's digest covers).
func NewVerifier(k key.Key) (*Verifier, error) {
	b, ok := byName[k.Variety]
	if !ok || !b.IsHash() {
		return nil, fmt.Errorf("key %s: backend %s: %w", k, k.Variety, ErrNotVerifiable)
	}
	if k.IsChunk() {
		return nil, fmt.Errorf("key %s: chunk key: %w", k, ErrNotVerifiable)
	}
	return &Verifier{key: k, hash: b.newHash()}, nil
}

// Write feeds content to the verifier. It never returns an error.
func (v *Verifier) Write(p []byte) (int, error) {
	v.n += int64(len(p))
	return v.hash.Write(p)
}

// Verify reports whether the content written so far matches the key: its
// size when the key records one, and its digest (a legacy leading '\' on the
// key's digest is accepted). On mismatch the error wraps ErrMismatch and
// states the expected and actual values.
func (v *Verifier) Verify() error {
	if v.key.HasSize && v.n != v.key.Size {
		return fmt.Errorf("key %s: expected size %d, got %d: %w", v.key, v.key.Size, v.n, ErrMismatch)
	}
	want := v.key.HashName()
	got := hex.EncodeToString(v.hash.Sum(nil))
	if got != want && `\`+got != want {
		return fmt.Errorf("key %s: expected digest %s, got %s: %w", v.key, want, got, ErrMismatch)
	}
	return nil
}
