package backend

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
)

// hashBufferSize is the read size HashFile uses; large reads keep the
// per-call overhead far below the hashing cost.
const hashBufferSize = 1 << 20

// HashFile reads the file at path once and returns its key under hash
// backend b; for *E backends the extension comes from path's base name (see
// SelectExtension). It fails for WORM and URL (use WORMKey and URLKey), when
// the file cannot be read, and when ctx is cancelled during the read.
func HashFile(ctx context.Context, path string, b *Backend, maxExtLen int) (key.Key, error) {
	if !b.IsHash() {
		return key.Key{}, fmt.Errorf("hash %s: backend %s does not hash content", path, b.name)
	}
	f, err := os.Open(path)
	if err != nil {
		return key.Key{}, fmt.Errorf("hash %s: %w", path, err)
	}
	defer f.Close()
	h := b.newHash()
	n, err := io.CopyBuffer(h, fsutil.ContextReader(ctx, f), make([]byte, hashBufferSize))
	if err != nil {
		return key.Key{}, fmt.Errorf("hash %s: %w", path, err)
	}
	return b.KeyFromSum(h.Sum(nil), n, filepath.Base(path), maxExtLen), nil
}
