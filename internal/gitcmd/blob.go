package gitcmd

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
)

// HashBlob returns the object id git gives a blob with content data in a
// repository of the given object format ("sha1" or "sha256"; "" means sha1).
func HashBlob(format string, data []byte) string {
	var h hash.Hash
	if format == "sha256" {
		h = sha256.New()
	} else {
		h = sha1.New()
	}
	h.Write([]byte("blob " + strconv.Itoa(len(data)) + "\x00"))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// hashHexLen is the length of an object id in hex.
func hashHexLen(format string) int {
	if format == "sha256" {
		return 64
	}
	return 40
}

// mallocTopPad stops glibc's malloc from returning memory to the system after
// every blob: fast-import allocates and frees a zlib window per object, and
// without the pad each one costs two brk calls, which makes it ten times
// slower on small blobs (0.9 s instead of 0.1 s for 10,000 blobs).
const mallocTopPad = "MALLOC_TOP_PAD_=16777216"

// BlobWriter writes blobs into the object database through one long-running
// `git fast-import`, which packs them instead of writing a loose file per
// blob. Blob ids are computed here, so Write does not wait for git; the blobs
// become visible to other git processes after Flush or Close. It is safe for
// concurrent use.
type BlobWriter struct {
	b       *batch
	format  string
	pending bool
	flushes int
}

// NewBlobWriter starts `git fast-import`; it lives until Close or until ctx is
// done (which discards blobs not yet flushed).
func (r *Repo) NewBlobWriter(ctx context.Context) (*BlobWriter, error) {
	b, err := r.WithEnv(mallocTopPad).startBatch(ctx, "fast-import", "--quiet", "--done")
	if err != nil {
		return nil, err
	}
	return &BlobWriter{b: b, format: r.ObjectFormat}, nil
}

// Write queues data as a blob and returns its object id.
func (w *BlobWriter) Write(ctx context.Context, data []byte) (string, error) {
	sha := HashBlob(w.format, data)
	err := w.b.do(ctx, func() error {
		w.pending = true
		if _, err := w.b.w.WriteString("blob\ndata " + strconv.Itoa(len(data)) + "\n"); err != nil {
			return err
		}
		if _, err := w.b.w.Write(data); err != nil {
			return err
		}
		return w.b.w.WriteByte('\n')
	})
	if err != nil {
		return "", fmt.Errorf("write blob %s: %w", sha, err)
	}
	return sha, nil
}

// Flush makes every blob written so far readable by other git processes. It
// returns once git has written them to a pack.
func (w *BlobWriter) Flush(ctx context.Context) error {
	return w.b.do(ctx, func() error {
		if !w.pending {
			return nil
		}
		w.flushes++
		token := "flushed " + strconv.Itoa(w.flushes)
		if _, err := w.b.w.WriteString("checkpoint\nprogress " + token + "\n"); err != nil {
			return err
		}
		if err := w.b.w.Flush(); err != nil {
			return err
		}
		for {
			line, err := w.b.readLine('\n')
			if err != nil {
				return fmt.Errorf("fast-import checkpoint: %w", err)
			}
			if line == "progress "+token {
				break
			}
		}
		w.pending = false
		return nil
	})
}

// Close writes the remaining blobs and ends fast-import, reporting its
// failure. It is idempotent.
func (w *BlobWriter) Close() error {
	err := w.b.do(context.Background(), func() error {
		_, err := w.b.w.WriteString("done\n")
		return err
	})
	if cerr := w.b.close(); err == nil || err == errClosed {
		err = cerr
	}
	return err
}
