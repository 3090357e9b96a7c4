package chunked

import (
	"context"
	"fmt"

	"github.com/troveproject/trove/internal/chunk"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// Retrieve implements remote.Remote. It tries k's candidate key lists in
// turn (recorded chunk sizes, the current one, the unchunked key) and
// stops at the first that delivers every chunk. A sink that already holds
// part of the content resumes at the start of the chunk it stopped in
// (truncating the sink there when it is a Truncater, else restarting it);
// when it holds every chunk of a candidate, nothing is retrieved, as in
// git-annex. The error is the first candidate's, wrapping
// remote.ErrNotPresent when the remote has no chunks.
func (c *Remote) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	lists, err := c.candidates(ctx, k)
	if err != nil {
		return err
	}
	off := dst.Offset()
	for _, l := range lists {
		if len(l) > 0 && l[0].IsChunk() && off/l[0].ChunkSize >= int64(len(l)) {
			return nil // the sink holds every chunk already
		}
		if len(l) == 0 {
			return nil
		}
	}
	if k.HasSize {
		m.SetTotal(k.Size)
	}
	var first error
	for _, l := range lists {
		if l[0].IsChunk() {
			err = c.retrieveChunks(ctx, k, l, dst, m)
		} else {
			err = c.base.Retrieve(ctx, l[0], dst, m)
		}
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return err
		}
		if first == nil {
			first = err
		}
	}
	return fmt.Errorf("retrieve %s from %s: %w", k, c.Name(), first)
}

// retrieveChunks retrieves the chunks of one list into dst, from the one
// dst stopped in.
func (c *Remote) retrieveChunks(ctx context.Context, k key.Key, keys []key.Key, dst remote.Sink, m progress.Meter) error {
	size := keys[0].ChunkSize
	skip := min(dst.Offset()/size, int64(len(keys)))
	pos, err := cutSink(dst, skip*size)
	if err != nil {
		return fmt.Errorf("resume %s at chunk %d: %w", k, skip+1, err)
	}
	rest := keys[pos/size:]
	if _, ok := c.base.(Preparer); ok && len(rest) > 1 && size <= maxSpool {
		return c.retrieveAhead(ctx, k, rest, len(keys), dst, m)
	}
	for _, ck := range rest {
		if err := ctx.Err(); err != nil {
			return err
		}
		start := chunk.Offset(ck)
		cs := &chunkSink{dst: dst, start: start, helperFile: helperFile{tmpDir: c.host.TmpDir()}}
		err := c.base.Retrieve(ctx, ck, cs, chunkMeter{m})
		if err == nil {
			err = cs.finish(ctx)
		} else {
			cs.discard()
		}
		if err != nil {
			return fmt.Errorf("chunk %d of %d: %w", ck.ChunkNum, len(keys), err)
		}
		if err := checkLen(k, ck, cs.Offset()); err != nil {
			return err
		}
	}
	return nil
}

// maxSpool is the largest chunk retrieved ahead of its turn into memory;
// larger chunks are retrieved one at a time straight into the sink.
// maxSpoolTotal bounds the memory of all spools of one retrieval (but
// two chunks are always worked on at once).
const (
	maxSpool      = 64 << 20
	maxSpoolTotal = 256 << 20
)

// retrieveAhead retrieves the chunks keys (of total in all) into memory
// spools, several at once, and writes them into dst strictly in order.
// It is used over bases that do CPU work per chunk (Preparers: the
// encrypted remote decrypts the next chunks while one is written and
// hashed); over others it would only add a copy.
func (c *Remote) retrieveAhead(ctx context.Context, k key.Key, keys []key.Key, total int, dst remote.Sink, m progress.Meter) error {
	size := keys[0].ChunkSize
	return inOrder(ctx, len(keys), min(ahead(), max(2, int(maxSpoolTotal/size))),
		func(ctx context.Context, i int) (*spool, func(), error) {
			sp := newSpool(c.host.TmpDir(), size)
			if err := c.base.Retrieve(ctx, keys[i], sp, chunkMeter{m}); err != nil {
				sp.release()
				return nil, nil, fmt.Errorf("chunk %d of %d: %w", keys[i].ChunkNum, total, err)
			}
			return sp, sp.release, nil
		},
		func(i int, sp *spool) error {
			n, err := sp.writeTo(ctx, dst)
			if err != nil {
				return fmt.Errorf("chunk %d of %d: %w", keys[i].ChunkNum, total, err)
			}
			return checkLen(k, keys[i], n)
		})
}

// checkLen checks that chunk ck of k had the length k's size gives it.
func checkLen(k, ck key.Key, n int64) error {
	if !k.HasSize {
		return nil
	}
	if want := chunk.Len(k.Size, ck.ChunkSize, ck.ChunkNum); n != want {
		return fmt.Errorf("chunk %s has %d bytes, expected %d", ck, n, want)
	}
	return nil
}
