package chunked

import (
	"context"
	"fmt"
	"os"

	"github.com/troveproject/trove/internal/chunk"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// Store implements remote.Remote. Keys of stable backends are cut into
// chunks, each stored as a section of src under its chunk key; when the
// content is larger than one chunk, the leading chunks the remote already
// has (from an interrupted store) are skipped, as git-annex's seekResume
// does. Over a Preparer (an encrypted remote), the next chunks are
// prepared while one is sent. The chunk count is recorded in the chunk log only after every
// chunk is stored, so a partial upload is never taken for the content.
// Keys that are not stable (URL keys) are stored whole.
func (c *Remote) Store(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	if !chunk.Stable(k) {
		return c.base.Store(ctx, k, src, m)
	}
	size, err := sourceSize(src)
	if err != nil {
		return fmt.Errorf("store %s on %s: %w", k, c.Name(), err)
	}
	m.SetTotal(size)
	n := chunk.Count(size, c.size)
	keys := chunk.Keys(k, c.size, n)
	first := 0
	if size > c.size {
		first = c.storedPrefix(ctx, keys)
	}
	if first > 0 {
		m.Add(min(int64(first)*c.size, size))
	}
	sec := func(i int) remote.Source {
		return remote.Source{
			Path:   src.Path,
			Offset: src.Offset + int64(i)*c.size,
			Size:   chunk.Len(size, c.size, int64(i)+1),
			File:   src.File,
		}
	}
	if p, ok := c.base.(Preparer); ok && len(keys)-first > 1 {
		err = inOrder(ctx, len(keys)-first, ahead(),
			func(ctx context.Context, j int) (func(context.Context, progress.Meter) error, func(), error) {
				return p.PrepareStore(ctx, keys[first+j], sec(first+j))
			},
			func(j int, send func(context.Context, progress.Meter) error) error {
				if err := send(ctx, chunkMeter{m}); err != nil {
					return fmt.Errorf("store chunk %d of %d of %s on %s: %w", first+j+1, n, k, c.Name(), err)
				}
				return nil
			})
		if err != nil {
			return err
		}
	} else {
		for i := first; i < len(keys); i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := c.base.Store(ctx, keys[i], sec(i), chunkMeter{m}); err != nil {
				return fmt.Errorf("store chunk %d of %d of %s on %s: %w", i+1, n, k, c.Name(), err)
			}
		}
	}
	if err := c.host.SetChunkCount(ctx, k, c.size, n); err != nil {
		return fmt.Errorf("record the chunks of %s on %s: %w", k, c.Name(), err)
	}
	return nil
}

// Preparer is the optional ability of a base remote to split Store in
// two: PrepareStore does the local work (the encrypted remote encrypts
// into a temporary file), which the chunked decorator runs for several
// chunks at once, ahead of the uploads; send stores what was prepared,
// called in chunk order; done releases it (whether send was called or
// not, once). PrepareStore must be safe for concurrent use.
type Preparer interface {
	PrepareStore(ctx context.Context, k key.Key, src remote.Source) (send func(context.Context, progress.Meter) error, done func(), err error)
}

// storedPrefix is the number of leading chunks the remote already has.
// A chunk whose presence cannot be determined counts as missing.
func (c *Remote) storedPrefix(ctx context.Context, keys []key.Key) int {
	for i, ck := range keys {
		if ok, err := c.base.CheckPresent(ctx, ck); err != nil || !ok {
			return i
		}
	}
	return len(keys)
}

// sourceSize is the number of bytes src holds.
func sourceSize(src remote.Source) (int64, error) {
	if src.Size >= 0 {
		return src.Size, nil
	}
	fi, err := os.Stat(src.Path)
	if err != nil {
		return 0, err
	}
	return fi.Size() - src.Offset, nil
}
