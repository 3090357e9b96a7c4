package chunked

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

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
	dst    remote.Sink
	start  int64
	tmpDir string
	tmp    string
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

// Path names an empty temporary file for the chunk alone.
func (s *chunkSink) Path() string {
	if s.tmp == "" {
		f, err := os.CreateTemp(s.tmpDir, "chunk-")
		if err != nil {
			// The helper's write to the returned name fails and
			// reports the cause.
			return s.tmpDir + string(os.PathSeparator) + "chunk-unavailable"
		}
		s.tmp = f.Name()
		f.Close()
	}
	return s.tmp
}

// discard removes the temporary file, if any.
func (s *chunkSink) discard() {
	if s.tmp != "" {
		os.Remove(s.tmp)
	}
}

// finish takes a chunk a helper wrote to Path into the sink, and removes
// the temporary file.
func (s *chunkSink) finish(ctx context.Context) error {
	if s.tmp == "" {
		return nil
	}
	defer os.Remove(s.tmp)
	f, err := os.Open(s.tmp)
	if err != nil {
		return fmt.Errorf("read retrieved chunk: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return err
	}
	if err := s.Restart(); err != nil {
		return err
	}
	if _, err := io.Copy(s.dst, fsutil.ContextReader(ctx, f)); err != nil {
		return fmt.Errorf("copy retrieved chunk %s: %w", s.tmp, err)
	}
	return nil
}

var _ remote.Sink = (*chunkSink)(nil)
