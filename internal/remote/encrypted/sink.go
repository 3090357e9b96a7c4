package encrypted

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/troveproject/trove/internal/crypto"
	"github.com/troveproject/trove/internal/remote"
)

// errRestarted ends a decryption whose ciphertext the base remote
// restarts.
var errRestarted = errors.New("ciphertext restarted")

// decryptSink is the remote.Sink the base remote retrieves ciphertext
// into: what it writes goes through a pipe to a goroutine that decrypts
// it into the plaintext sink as it arrives, so no ciphertext is written
// to disk. A base remote whose helper writes the file itself (Path) gets
// a temporary file, decrypted once the helper is done. Not safe for
// concurrent use; finish must be called once the base remote returns.
type decryptSink struct {
	ctx    context.Context
	c      *crypto.Crypter
	plain  io.Writer // the plaintext sink
	reset  func() error
	tmpDir string

	pw   *io.PipeWriter
	errc chan error // the decryption's result, once started
	off  int64
	tmp  string
}

func newDecryptSink(ctx context.Context, c *crypto.Crypter, dst remote.Sink, tmpDir string) *decryptSink {
	return &decryptSink{ctx: ctx, c: c, plain: dst, reset: dst.Restart, tmpDir: tmpDir}
}

func (s *decryptSink) start() {
	pr, pw := io.Pipe()
	s.pw, s.errc = pw, make(chan error, 1)
	go func() {
		err := s.c.Decrypt(s.ctx, s.plain, pr)
		if err == nil {
			// A message that ends before the ciphertext does fails
			// the base remote's next write.
			_ = pr.CloseWithError(errors.New("data after the encrypted message"))
		} else {
			_ = pr.CloseWithError(err)
		}
		s.errc <- err
	}()
}

// Write implements remote.Sink, feeding the decryption.
func (s *decryptSink) Write(p []byte) (int, error) {
	if s.pw == nil {
		s.start()
	}
	n, err := s.pw.Write(p)
	s.off += int64(n)
	return n, err
}

// Offset implements remote.Sink: the ciphertext bytes received.
func (s *decryptSink) Offset() int64 { return s.off }

// Restart implements remote.Sink: the decryption so far is abandoned and
// the plaintext sink restarted.
func (s *decryptSink) Restart() error {
	_ = s.stop(errRestarted)
	s.off = 0
	if s.tmp != "" {
		if err := os.Truncate(s.tmp, 0); err != nil {
			return fmt.Errorf("ciphertext temp file: %w", err)
		}
	}
	return s.reset()
}

// stop ends a started decryption with cause and waits for it.
func (s *decryptSink) stop(cause error) error {
	if s.pw == nil {
		return nil
	}
	_ = s.pw.CloseWithError(cause)
	err := <-s.errc
	s.pw, s.errc = nil, nil
	return err
}

// Path implements remote.Sink: an empty temporary file for a helper to
// write the ciphertext to.
func (s *decryptSink) Path() string {
	if s.tmp == "" {
		f, err := os.CreateTemp(s.tmpDir, "decrypt-")
		if err != nil {
			// The helper's write to the returned name fails and
			// reports the cause.
			return s.tmpDir + string(os.PathSeparator) + "decrypt-unavailable"
		}
		s.tmp = f.Name()
		f.Close()
	}
	return s.tmp
}

// finish completes the decryption after the base remote's Retrieve
// returned retrieveErr, and removes any temporary file. It returns
// retrieveErr, or else the decryption's error.
func (s *decryptSink) finish(retrieveErr error) error {
	if s.tmp != "" {
		defer os.Remove(s.tmp)
	}
	if retrieveErr != nil {
		_ = s.stop(retrieveErr)
		return retrieveErr
	}
	if s.pw == nil && s.tmp != "" {
		f, err := os.Open(s.tmp)
		if err != nil {
			return fmt.Errorf("ciphertext temp file: %w", err)
		}
		defer f.Close()
		return s.c.Decrypt(s.ctx, s.plain, f)
	}
	if s.pw == nil {
		s.start() // no ciphertext at all: decryption reports it
	}
	_ = s.pw.Close()
	err := <-s.errc
	s.pw, s.errc = nil, nil
	return err
}

var _ remote.Sink = (*decryptSink)(nil)
