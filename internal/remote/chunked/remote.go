package chunked

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/troveproject/trove/internal/chunk"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// Remote stores content on its base remote in chunks of a fixed size.
// It is safe for concurrent use when the base remote and Host are; it has
// no state of its own beyond its configuration.
type Remote struct {
	base remote.Remote
	host remote.Host
	size int64
}

// Wrap returns r chunking content as p.Config asks (chunk=SIZE). When the
// config asks for no chunking (no chunk=, chunk=0, or legacy chunksize=,
// which the remote types that support it implement themselves), Wrap
// returns r itself. A chunk size that cannot be read is an error naming
// the remote p.Name and the setting ("bad configuration chunk=abc"); Wrap
// does not use r or p.Host otherwise, so Wrap(nil, p) validates a config.
// The chunk log is read and written through p.Host, which must be set
// for a chunked remote to be used. The result keeps r's InfoReporter,
// Availabler and Closer abilities; chunked remotes never have
// ContentLocker.
func Wrap(r remote.Remote, p remote.Params) (remote.Remote, error) {
	cfg, err := chunk.ParseConfig(p.Config)
	if err != nil {
		return nil, fmt.Errorf("remote %s: %w (fix it with `git annex enableremote %s chunk=SIZE`)", p.Name, err, p.Name)
	}
	if cfg.Kind != chunk.Fixed {
		return r, nil
	}
	c := &Remote{base: r, host: p.Host, size: cfg.Size}
	if ir, ok := r.(remote.InfoReporter); ok {
		return &reportingRemote{c, ir}, nil
	}
	return c, nil
}

// reportingRemote is a Remote whose base describes itself for info.
type reportingRemote struct {
	*Remote
	remote.InfoReporter
}

// ChunkSize is the size of the chunks new content is stored in.
func (c *Remote) ChunkSize() int64 { return c.size }

// Unwrap returns the remote the chunks are stored on.
func (c *Remote) Unwrap() remote.Remote { return c.base }

// Name implements remote.Remote.
func (c *Remote) Name() string { return c.base.Name() }

// UUID implements remote.Remote.
func (c *Remote) UUID() uuid.UUID { return c.base.UUID() }

// Cost implements remote.Remote.
func (c *Remote) Cost() float64 { return c.base.Cost() }

// Availability implements remote.Availabler with the base remote's
// availability (GloballyAvailable when the base does not say).
func (c *Remote) Availability() remote.Availability {
	if a, ok := c.base.(remote.Availabler); ok {
		return a.Availability()
	}
	return remote.GloballyAvailable
}

// Close implements remote.Closer, closing the base remote if it holds
// resources.
func (c *Remote) Close(ctx context.Context) error {
	if cl, ok := c.base.(remote.Closer); ok {
		return cl.Close(ctx)
	}
	return nil
}

// candidates are the lists of keys k's content may be stored under on
// the remote, in the order git-annex tries them (chunkKeys): the chunk
// sizes recorded in the chunk log, smallest first; the current chunk size
// when the log does not record it with the count k's size gives (only
// for keys that are chunked when stored); and the unchunked key, alone.
// A list may be empty: an empty key under the current chunk size, whose
// content needs no chunk at all.
func (c *Remote) candidates(ctx context.Context, k key.Key) ([][]key.Key, error) {
	counts, err := c.host.ChunkCounts(ctx, k)
	if err != nil {
		return nil, fmt.Errorf("read the chunk log of %s: %w", k, err)
	}
	sizes := make([]int64, 0, len(counts))
	for size, n := range counts {
		if size > 0 && n > 0 {
			sizes = append(sizes, size)
		}
	}
	slices.Sort(sizes)
	lists := make([][]key.Key, 0, len(sizes)+2)
	for _, size := range sizes {
		lists = append(lists, chunk.Keys(k, size, counts[size]))
	}
	if k.HasSize && chunk.Stable(k) {
		n := (k.Size + c.size - 1) / c.size // 0 for empty content, as git-annex
		if n == 0 || counts[c.size] != n {
			lists = append(lists, chunk.Keys(k, c.size, n))
		}
	}
	return append(lists, []key.Key{k}), nil
}

// CheckPresent implements remote.Remote: k is present when every chunk of
// one of its candidate lists is (or the unchunked key is). An error from
// the base remote is returned only when no later list answers for sure,
// as git-annex's checkPresentChunks does.
func (c *Remote) CheckPresent(ctx context.Context, k key.Key) (bool, error) {
	lists, err := c.candidates(ctx, k)
	if err != nil {
		return false, err
	}
	var deferred error
	for _, l := range lists {
		if len(l) == 0 {
			continue
		}
		ok, err := c.allPresent(ctx, l)
		switch {
		case err != nil:
			deferred = err
		case ok:
			return true, nil
		default:
			deferred = nil
		}
	}
	return false, deferred
}

// allPresent checks the keys in order and stops at the first absent one.
func (c *Remote) allPresent(ctx context.Context, keys []key.Key) (bool, error) {
	for _, ck := range keys {
		ok, err := c.base.CheckPresent(ctx, ck)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// Remove implements remote.Remote: every chunk of every candidate list
// and the unchunked key are removed, then the chunk log records a count
// of 0 for each chunk size, as git-annex's removeChunks does. It stops at
// the first key the base remote fails to remove.
func (c *Remote) Remove(ctx context.Context, k key.Key) error {
	lists, err := c.candidates(ctx, k)
	if err != nil {
		return err
	}
	var sizes []int64
	for _, l := range lists {
		for _, ck := range l {
			if err := c.base.Remove(ctx, ck); err != nil {
				return fmt.Errorf("remove %s from %s: %w", ck, c.Name(), err)
			}
		}
		if len(l) > 0 && l[0].IsChunk() && !slices.Contains(sizes, l[0].ChunkSize) {
			sizes = append(sizes, l[0].ChunkSize)
		}
	}
	var errs []error
	for _, size := range sizes {
		if err := c.host.SetChunkCount(ctx, k, size, 0); err != nil {
			errs = append(errs, fmt.Errorf("record removal of %s's chunks from %s: %w", k, c.Name(), err))
		}
	}
	return errors.Join(errs...)
}

var (
	_ remote.Remote       = (*Remote)(nil)
	_ remote.Availabler   = (*Remote)(nil)
	_ remote.Closer       = (*Remote)(nil)
	_ remote.InfoReporter = (*reportingRemote)(nil)
)
