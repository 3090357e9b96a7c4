package fsutil

import (
	"context"
	"io"
)

// ContextReader returns a reader that reads from r until ctx is done, then
// fails with ctx's error. It lets long copies and hashes be cancelled
// between reads.
func ContextReader(ctx context.Context, r io.Reader) io.Reader {
	return ctxReader{ctx: ctx, r: r}
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
