package filter

import (
	"context"
	"io"
)

// Handler filters one file's content. content yields the bytes git sent and
// ends with io.EOF; out receives the filtered bytes.
//
// Handlers should read content to its end before writing much to out: git
// sends the whole input before it reads any response, so output written
// while input remains unread is held in memory until the input is
// consumed. Input the handler leaves unread is discarded. A returned error
// makes git see status=error for this file only; the stream stays usable.
// The Server calls a Handler from one goroutine, one request at a time.
type Handler interface {
	// Clean converts work-tree content into what git stores (for
	// git-annex: a pointer file, or the content itself for small files).
	Clean(ctx context.Context, path string, content io.Reader, out io.Writer) error
	// Smudge converts what git stores into work-tree content.
	Smudge(ctx context.Context, path string, content io.Reader, out io.Writer) error
}
