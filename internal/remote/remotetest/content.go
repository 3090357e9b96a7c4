package remotetest

import (
	"bufio"
	"bytes"
	"context"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// content is one test object: a file of random bytes and its key.
type content struct {
	key  key.Key
	path string
	size int64
}

// source is the content as a remote.Source.
func (c content) source() remote.Source {
	return remote.Source{Path: c.path, Size: -1, File: filepath.Base(c.path)}
}

// env is what the checks share: the remote, a scratch directory and the
// options.
type env struct {
	r    remote.Remote
	dir  string
	opts Options
	seq  atomic.Int64
}

// name returns a new unique file name in the scratch directory.
func (e *env) name(prefix string) string {
	return filepath.Join(e.dir, fmt.Sprintf("%s-%d", prefix, e.seq.Add(1)))
}

// newContent writes size random bytes to a new file and returns it with
// its SHA256E key.
func (e *env) newContent(size int64) (content, error) {
	path := e.name("content")
	sum, err := writeRandom(path, size)
	if err != nil {
		return content{}, err
	}
	k := key.Key{Variety: "SHA256E", Size: size, HasSize: true, Name: hex.EncodeToString(sum)}
	return content{key: k, path: path, size: size}, nil
}

// withKey returns random content of size stored under k instead of its
// hash key (for URL and WORM keys, whose names say nothing of content).
func (e *env) withKey(k key.Key, size int64) (content, error) {
	c, err := e.newContent(size)
	c.key = k
	return c, err
}

// writeRandom fills a new file with size random bytes and returns their
// SHA-256.
func writeRandom(path string, size int64) ([]byte, error) {
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		return nil, fmt.Errorf("random content: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("test content: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	w := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<16)
	if _, err := io.CopyN(w, rand.NewChaCha8(seed), size); err != nil {
		return nil, fmt.Errorf("test content %s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		return nil, fmt.Errorf("test content %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("test content %s: %w", path, err)
	}
	return h.Sum(nil), nil
}

// store stores c on the remote.
func (e *env) store(ctx context.Context, c content) error {
	if err := e.r.Store(ctx, c.key, c.source(), progress.Discard); err != nil {
		return fmt.Errorf("store %s: %w", c.key, err)
	}
	return nil
}

// retrieveInto retrieves c's key into a sink whose file first holds the
// first prefix bytes of c, and checks the result equals c.
func (e *env) retrieveInto(ctx context.Context, c content, prefix int64) error {
	path := e.name("retrieved")
	if err := copyPrefix(c.path, path, prefix); err != nil {
		return err
	}
	defer os.Remove(path)
	s, err := NewFileSink(path)
	if err != nil {
		return err
	}
	if err := e.r.Retrieve(ctx, c.key, s, progress.Discard); err != nil {
		s.Close()
		return fmt.Errorf("retrieve %s (resuming from %d): %w", c.key, prefix, err)
	}
	if err := s.Close(); err != nil {
		return err
	}
	return sameFile(c.path, path)
}

// retrieve retrieves c into an empty sink and checks the bytes.
func (e *env) retrieve(ctx context.Context, c content) error { return e.retrieveInto(ctx, c, 0) }

// present checks that CheckPresent says want about c.
func (e *env) present(ctx context.Context, c content, want bool) error {
	got, err := e.r.CheckPresent(ctx, c.key)
	if err != nil {
		return fmt.Errorf("check present %s: %w", c.key, err)
	}
	if got != want {
		return fmt.Errorf("check present %s: got %v, want %v", c.key, got, want)
	}
	return nil
}

// remove removes c from the remote.
func (e *env) remove(ctx context.Context, c content) error {
	if err := e.r.Remove(ctx, c.key); err != nil {
		return fmt.Errorf("remove %s: %w", c.key, err)
	}
	return nil
}

// cleanup removes the keys of cs from the remote and their files, keeping
// err (the check's outcome) or, when it is nil, the first cleanup error.
// It uses a fresh context so that a cancelled check still cleans up, and
// it ignores ErrNotPresent, which only the removal check is about.
func (e *env) cleanup(err error, cs ...content) error {
	for _, c := range cs {
		rerr := e.r.Remove(context.Background(), c.key)
		if rerr != nil && err == nil && !errors.Is(rerr, remote.ErrNotPresent) {
			err = fmt.Errorf("cleanup: remove %s: %w", c.key, rerr)
		}
		os.Remove(c.path)
	}
	return err
}

// copyPrefix creates dst holding the first n bytes of src.
func copyPrefix(src, dst string, n int64) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.CopyN(out, in, n); err != nil && !(n == 0 && errors.Is(err, io.EOF)) {
		out.Close()
		return fmt.Errorf("prefix of %s: %w", src, err)
	}
	return out.Close()
}

// sameFile reports an error unless the files at want and got hold the same
// bytes, naming the first difference.
func sameFile(want, got string) error {
	a, err := os.Open(want)
	if err != nil {
		return err
	}
	defer a.Close()
	b, err := os.Open(got)
	if err != nil {
		return err
	}
	defer b.Close()
	ra, rb := bufio.NewReaderSize(a, 1<<16), bufio.NewReaderSize(b, 1<<16)
	bufA, bufB := make([]byte, 1<<16), make([]byte, 1<<16)
	var off int64
	for {
		na, ea := io.ReadFull(ra, bufA)
		nb, eb := io.ReadFull(rb, bufB)
		if !bytes.Equal(bufA[:na], bufB[:nb]) {
			i := 0
			for i < na && i < nb && bufA[i] == bufB[i] {
				i++
			}
			return fmt.Errorf("retrieved content differs from what was stored at byte %d (got %d bytes in this block, want %d)", off+int64(i), nb, na)
		}
		off += int64(na)
		doneA := ea == io.EOF || ea == io.ErrUnexpectedEOF
		doneB := eb == io.EOF || eb == io.ErrUnexpectedEOF
		if ea != nil && !doneA {
			return ea
		}
		if eb != nil && !doneB {
			return eb
		}
		if doneA || doneB {
			if doneA != doneB {
				return fmt.Errorf("retrieved content has a different length from what was stored (same first %d bytes)", off)
			}
			return nil
		}
	}
}
