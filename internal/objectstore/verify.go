package objectstore

import (
	"context"
	"fmt"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
)

// keyVerifier checks streamed content against a key: by hash when the
// backend can, otherwise by size only.
type keyVerifier struct {
	k key.Key
	v *backend.Verifier // nil when not verifiable
	n int64
}

func newKeyVerifier(k key.Key) *keyVerifier {
	v, err := backend.NewVerifier(k)
	if err != nil {
		v = nil
	}
	return &keyVerifier{k: k, v: v}
}

func (kv *keyVerifier) Write(p []byte) (int, error) {
	kv.n += int64(len(p))
	if kv.v != nil {
		return kv.v.Write(p)
	}
	return len(p), nil
}

// verify returns a *BadContentError naming path when the content written
// does not match.
func (kv *keyVerifier) verify(path string) error {
	if kv.k.HasSize && kv.n != kv.k.Size {
		return &BadContentError{Key: kv.k, Path: path, Size: kv.n, WrongSize: true}
	}
	if kv.v != nil {
		if err := kv.v.Verify(); err != nil {
			return &BadContentError{Key: kv.k, Path: path, Size: kv.n, Err: err}
		}
	}
	return nil
}

// Verify checks that k's object matches k: its size when the key records
// one and, unless fast, its checksum (keys that cannot be verified by hashing
// get the size check only). It returns an error wrapping ErrNotPresent when
// there is no object, a *BadContentError when it does not match, and nil
// when it does.
func (s *Store) Verify(ctx context.Context, k key.Key, fast bool) error {
	path, ok, err := s.Find(k)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("verify %s: %w", k, ErrNotPresent)
	}
	f, err := fsutil.Open(path)
	if err != nil {
		return fmt.Errorf("verify %s: %w", k, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("verify %s: %w", k, err)
	}
	if k.HasSize && fi.Size() != k.Size {
		return &BadContentError{Key: k, Path: path, Size: fi.Size(), WrongSize: true}
	}
	if fast {
		return nil
	}
	v := newKeyVerifier(k)
	if v.v == nil {
		return nil
	}
	if _, err := fsutil.ReadAll(ctx, f, v); err != nil {
		return fmt.Errorf("verify %s: %w", k, err)
	}
	return v.verify(path)
}
