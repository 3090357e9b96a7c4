package p2pproto

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxLine bounds a protocol line, so that a peer sending garbage without a
// newline cannot exhaust memory.
const maxLine = 1 << 20

// Conn carries protocol messages and DATA payloads over a pair of streams
// (ssh's stdout and stdin on the client, the process's stdin and stdout in
// git-annex-shell). It is not safe for concurrent use: one request is in
// flight at a time, as in git-annex.
type Conn struct {
	r *bufio.Reader
	w *bufio.Writer
	// Trace, when set, is called with each line sent (out true) or
	// received, without "\n", for debugging.
	Trace func(out bool, line string)
}

// NewConn returns a Conn reading from r and writing to w.
func NewConn(r io.Reader, w io.Writer) *Conn {
	return &Conn{r: bufio.NewReaderSize(r, 64<<10), w: bufio.NewWriterSize(w, 64<<10)}
}

// Send writes m as one line and flushes it.
func (c *Conn) Send(m Message) error {
	line := m.String()
	if c.Trace != nil {
		c.Trace(true, line)
	}
	// A bufio.Writer's errors are sticky: Flush returns the first.
	_, _ = c.w.WriteString(line)
	_ = c.w.WriteByte('\n')
	if err := c.w.Flush(); err != nil {
		return fmt.Errorf("p2p protocol: send %s: %w", m.Cmd, err)
	}
	return nil
}

// Receive reads the next message. A line that is not a message gives a
// *ParseError (wrapping ErrUnknown) and the connection stays usable; the
// end of the stream gives io.EOF (io.ErrUnexpectedEOF within a line).
func (c *Conn) Receive() (Message, error) {
	line, err := c.readLine()
	if err != nil {
		return Message{}, err
	}
	if c.Trace != nil {
		c.Trace(false, line)
	}
	return Parse(line)
}

func (c *Conn) readLine() (string, error) {
	var b strings.Builder
	for {
		frag, err := c.r.ReadSlice('\n')
		b.Write(frag)
		if b.Len() > maxLine {
			return "", fmt.Errorf("p2p protocol: line longer than %d bytes", maxLine)
		}
		switch {
		case err == nil:
			return strings.TrimSuffix(b.String(), "\n"), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && b.Len() > 0:
			return "", io.ErrUnexpectedEOF
		default:
			return "", err
		}
	}
}

// SendData writes "DATA n" and then exactly n bytes read from src, and
// flushes. If src ends early, the rest is padded with zero bytes so that
// the framing stays intact (the VALID/INVALID that follows tells the peer
// the content is bad), and an error wrapping io.ErrUnexpectedEOF is
// returned after the padding is sent.
func (c *Conn) SendData(src io.Reader, n int64) error {
	if err := c.Send(Message{Cmd: Data, Offset: n}); err != nil {
		return err
	}
	copied, err := io.Copy(c.w, io.LimitReader(src, n))
	var short error
	if err == nil && copied < n {
		short = fmt.Errorf("p2p protocol: content ended after %d of %d bytes: %w", copied, n, io.ErrUnexpectedEOF)
	} else if err != nil {
		short = fmt.Errorf("p2p protocol: read content to send: %w", err)
	}
	if short != nil {
		if _, err := io.CopyN(c.w, zeros{}, n-copied); err != nil {
			return fmt.Errorf("p2p protocol: send DATA: %w", err)
		}
	}
	if err := c.w.Flush(); err != nil {
		return fmt.Errorf("p2p protocol: send DATA: %w", err)
	}
	return short
}

// ReceiveData copies the n payload bytes that follow a DATA line into dst.
// When dst fails, the rest of the payload is still read (and discarded) so
// that the connection stays in step, and dst's error is returned.
func (c *Conn) ReceiveData(dst io.Writer, n int64) error {
	lr := &io.LimitedReader{R: c.r, N: n}
	_, err := io.Copy(dst, lr)
	if err == nil && lr.N > 0 {
		return fmt.Errorf("p2p protocol: connection ended after %d of %d DATA bytes: %w", n-lr.N, n, io.ErrUnexpectedEOF)
	}
	if err != nil {
		// Drain what is left so that the next message is read correctly.
		if _, derr := io.Copy(io.Discard, lr); derr != nil {
			return fmt.Errorf("p2p protocol: receive DATA: %w", derr)
		}
		if lr.N > 0 {
			return fmt.Errorf("p2p protocol: connection ended in DATA: %w", io.ErrUnexpectedEOF)
		}
		return err
	}
	return nil
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
