package remotetest

import (
	"fmt"
	"io"
	"os"

	"github.com/troveproject/trove/internal/remote"
)

// FileSink is a remote.Sink writing into a plain file. The file may already
// hold a prefix of the content (a download that was interrupted): Offset
// starts at its size. A FileSink is used by one Retrieve at a time; it is
// not safe for concurrent use.
type FileSink struct {
	f    *os.File
	path string
	off  int64
}

// NewFileSink opens (creating it when missing) the file at path and
// positions the sink at its end.
func NewFileSink(path string) (*FileSink, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	off, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("sink %s: %w", path, err)
	}
	return &FileSink{f: f, path: path, off: off}, nil
}

// Write appends p at the sink's offset.
func (s *FileSink) Write(p []byte) (int, error) {
	n, err := s.f.Write(p)
	s.off += int64(n)
	if err != nil {
		return n, fmt.Errorf("sink %s: %w", s.path, err)
	}
	return n, nil
}

// Offset implements remote.Sink: the bytes in the file so far, counting
// those written through Write.
func (s *FileSink) Offset() int64 { return s.off }

// Restart implements remote.Sink: it empties the file.
func (s *FileSink) Restart() error {
	if err := s.f.Truncate(0); err != nil {
		return fmt.Errorf("sink %s: %w", s.path, err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("sink %s: %w", s.path, err)
	}
	s.off = 0
	return nil
}

// Path implements remote.Sink.
func (s *FileSink) Path() string { return s.path }

// Close closes the file; the file stays.
func (s *FileSink) Close() error { return s.f.Close() }

// Bytes closes the sink and returns what its file holds, whether the
// remote wrote through the sink or to Path directly.
func (s *FileSink) Bytes() ([]byte, error) {
	s.f.Close()
	b, err := os.ReadFile(s.path)
	if err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	return b, nil
}

var _ remote.Sink = (*FileSink)(nil)
