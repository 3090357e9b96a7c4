package objectstore

import (
	"fmt"
	"io"
	"os"
)

// Truncate keeps only the first size bytes of the file (size at most
// Offset) and rehashes them, so that writes continue the content from
// there: a chunked remote resuming a download at a chunk boundary. It
// clears a sticky write error, as Restart does.
func (p *Partial) Truncate(size int64) error {
	if p.f == nil {
		return fmt.Errorf("truncate %s: %w", p.path, os.ErrClosed)
	}
	if size < 0 || size > p.n {
		return fmt.Errorf("truncate %s to %d bytes: it holds %d", p.path, size, p.n)
	}
	if size == 0 {
		return p.Restart()
	}
	if err := p.f.Truncate(size); err != nil {
		return fmt.Errorf("truncate %s: %w", p.path, err)
	}
	if _, err := p.f.Seek(size, io.SeekStart); err != nil {
		return fmt.Errorf("truncate %s: %w", p.path, err)
	}
	v := newKeyVerifier(p.k)
	if _, err := io.Copy(v, io.NewSectionReader(p.f, 0, size)); err != nil {
		p.err = fmt.Errorf("rehash %s: %w", p.path, err)
		return p.err
	}
	p.n, p.v, p.err = size, v, nil
	return nil
}
