package chunked

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/remote"
)

// Truncater is the optional ability of a remote.Sink to discard the
// content after its first size bytes (size at most Offset), so that a
// download can resume from an earlier point than the sink's end: a
// chunked remote resumes at the start of the chunk the sink stopped in.
// objectstore.Partial has it. A sink that cannot truncate after all
// returns an error wrapping remote.ErrUnsupported, and is restarted
// instead.
type Truncater interface {
	Truncate(size int64) error
}

// cutSink moves dst back to pos: by truncation when dst can, else by
// Restart (pos becomes 0). It returns the position dst is at afterwards.
func cutSink(dst remote.Sink, pos int64) (int64, error) {
	if dst.Offset() == pos {
		return pos, nil
	}
	if t, ok := dst.(Truncater); ok && pos < dst.Offset() {
		err := t.Truncate(pos)
		if err == nil {
			return pos, nil
		}
		if !errors.Is(err, remote.ErrUnsupported) {
			return 0, err
		}
	}
	return 0, dst.Restart()
}

// chunkSink is the remote.Sink one chunk is retrieved into: the part of
// the whole content's sink from start on. A base remote whose helper
// writes files by name gets a temporary file from Path; finish copies it
// into the sink.
type chunkSink struct {
	dst   remote.Sink
	start int64
	helperFile
}

func (s *chunkSink) Write(p []byte) (int, error) { return s.dst.Write(p) }

// Offset is the number of bytes of the chunk in the sink.
func (s *chunkSink) Offset() int64 { return s.dst.Offset() - s.start }

// Restart discards the chunk's bytes.
func (s *chunkSink) Restart() error {
	pos, err := cutSink(s.dst, s.start)
	if err == nil && pos != s.start {
		err = fmt.Errorf("restart chunk at byte %d of %s: %w", s.start, s.dst.Path(), remote.ErrUnsupported)
	}
	return err
}

// helperFile is the temporary file a sink names in Path, for a helper
// program that writes the retrieved content itself.
type helperFile struct {
	tmpDir string
	tmp    string
}

// Path names an empty temporary file for the chunk alone.
func (h *helperFile) Path() string {
	if h.tmp == "" {
		f, err := os.CreateTemp(h.tmpDir, "chunk-")
		if err != nil {
			// The helper's write to the returned name fails and
			// reports the cause.
			return h.tmpDir + string(os.PathSeparator) + "chunk-unavailable"
		}
		h.tmp = f.Name()
		f.Close()
	}
	return h.tmp
}

// discard removes the temporary file, if any.
func (h *helperFile) discard() {
	if h.tmp != "" {
		os.Remove(h.tmp)
	}
}

// copyTo copies what a helper wrote to the temporary file into w after
// calling before (which readies w), and removes the file. It does nothing
// when no helper wrote anything.
func (h *helperFile) copyTo(ctx context.Context, w io.Writer, before func() error) error {
	if h.tmp == "" {
		return nil
	}
	defer os.Remove(h.tmp)
	f, err := os.Open(h.tmp)
	if err != nil {
		return fmt.Errorf("read retrieved chunk: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return err
	}
	if err := before(); err != nil {
		return err
	}
	if _, err := io.Copy(w, fsutil.ContextReader(ctx, f)); err != nil {
		return fmt.Errorf("copy retrieved chunk %s: %w", h.tmp, err)
	}
	return nil
}

// finish takes a chunk a helper wrote to Path into the sink, and removes
// the temporary file.
func (s *chunkSink) finish(ctx context.Context) error {
	return s.copyTo(ctx, s.dst, s.Restart)
}

// spool is the remote.Sink a chunk is retrieved into ahead of its turn:
// memory, or the temporary file a helper writes to (Path).
type spool struct {
	buf *bytes.Buffer
	helperFile
}

func (s *spool) Write(p []byte) (int, error) { return s.buf.Write(p) }

func (s *spool) Offset() int64 { return int64(s.buf.Len()) }

func (s *spool) Restart() error {
	s.buf.Reset()
	if s.tmp != "" {
		return os.Truncate(s.tmp, 0)
	}
	return nil
}

// spoolBufs holds the memory of spools, reused across chunks.
var spoolBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// newSpool returns an empty spool with room for size bytes.
func newSpool(tmpDir string, size int64) *spool {
	b := spoolBufs.Get().(*bytes.Buffer)
	b.Reset()
	b.Grow(int(size))
	return &spool{buf: b, helperFile: helperFile{tmpDir: tmpDir}}
}

// release gives the spool's memory back and removes its file.
func (s *spool) release() {
	s.discard()
	s.buf.Reset()
	spoolBufs.Put(s.buf)
}

// writeTo writes the spooled chunk into w: the helper's file if one
// was written, else the memory. It returns the chunk's length.
func (s *spool) writeTo(ctx context.Context, w io.Writer) (int64, error) {
	if s.tmp != "" {
		cw := &countWriter{w: w}
		err := s.copyTo(ctx, cw, func() error { return nil })
		if cw.n > 0 || err != nil {
			return cw.n, err
		}
	}
	// Through io.Copy, so that a sink that reads (and hashes) in its own
	// way (objectstore.Partial's ReadFrom) gets to.
	return io.Copy(w, bytes.NewReader(s.buf.Bytes()))
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

var (
	_ remote.Sink = (*chunkSink)(nil)
	_ remote.Sink = (*spool)(nil)
)
