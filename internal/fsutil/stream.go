package fsutil

import (
	"context"
	"io"
)

// CopyStream copies src to dst until EOF, stopping between reads once ctx
// is done. A dst that reads for itself (io.ReaderFrom, such as a download
// target that hashes while it writes) is given the reader; otherwise the
// copy goes through a pooled buffer, so copying many small files allocates
// nothing per file. It returns the bytes copied.
func CopyStream(ctx context.Context, dst io.Writer, src io.Reader) (int64, error) {
	r := ContextReader(ctx, src)
	if rf, ok := dst.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	return io.CopyBuffer(writerOnly{dst}, r, *bp)
}

// writerOnly hides any ReadFrom of a writer, so that io.CopyBuffer uses
// the pooled buffer.
type writerOnly struct{ io.Writer }
