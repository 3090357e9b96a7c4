package encrypted

import (
	"fmt"
	"io"
	"os"
)

// fileSink is the remote.Sink the ciphertext is retrieved into: a file in
// the host's temporary directory that survives an interrupted transfer,
// so the next attempt resumes it. Not safe for concurrent use.
type fileSink struct {
	f   *os.File
	off int64
}

func openFileSink(path string) (*fileSink, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("ciphertext temp file: %w", err)
	}
	off, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("ciphertext temp file %s: %w", path, err)
	}
	return &fileSink{f: f, off: off}, nil
}

func (s *fileSink) Write(p []byte) (int, error) {
	n, err := s.f.Write(p)
	s.off += int64(n)
	if err != nil {
		return n, fmt.Errorf("ciphertext temp file %s: %w", s.f.Name(), err)
	}
	return n, nil
}

func (s *fileSink) Offset() int64 { return s.off }

func (s *fileSink) Restart() error {
	if err := s.f.Truncate(0); err != nil {
		return fmt.Errorf("ciphertext temp file %s: %w", s.f.Name(), err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("ciphertext temp file %s: %w", s.f.Name(), err)
	}
	s.off = 0
	return nil
}

func (s *fileSink) Path() string { return s.f.Name() }

func (s *fileSink) Close() error { return s.f.Close() }
