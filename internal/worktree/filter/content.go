package filter

import (
	"errors"
	"fmt"
	"io"
)

// contentReader reads the data packets of one content section, up to and
// including its terminating flush packet, as a byte stream. Errors are
// sticky; after the flush it returns io.EOF.
type contentReader struct {
	pr   *PacketReader
	rest []byte
	eof  bool
	err  error
}

func (c *contentReader) Read(p []byte) (int, error) {
	for len(c.rest) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		if c.eof {
			return 0, io.EOF
		}
		data, flush, err := c.pr.ReadPacket()
		switch {
		case errors.Is(err, io.EOF):
			c.err = fmt.Errorf("%w: input ended inside file content: %w", ErrProtocol, io.ErrUnexpectedEOF)
		case err != nil:
			c.err = err
		case flush:
			c.eof = true
		default:
			c.rest = data
		}
	}
	n := copy(p, c.rest)
	c.rest = c.rest[n:]
	return n, nil
}

// drain discards the rest of the content section.
func (c *contentReader) drain() error {
	_, err := io.Copy(io.Discard, c)
	return err
}

// contentWriter packs a byte stream into full-size data packets. close
// writes the remainder; the caller writes the terminating flush.
type contentWriter struct {
	pw  *PacketWriter
	buf []byte
}

func newContentWriter(pw *PacketWriter) *contentWriter {
	return &contentWriter{pw: pw, buf: make([]byte, 0, MaxData)}
}

func (c *contentWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		if len(c.buf) == 0 && len(p) >= MaxData {
			if err := c.pw.WritePacket(p[:MaxData]); err != nil {
				return written, err
			}
			p, written = p[MaxData:], written+MaxData
			continue
		}
		n := min(MaxData-len(c.buf), len(p))
		c.buf = append(c.buf, p[:n]...)
		p, written = p[n:], written+n
		if len(c.buf) == MaxData {
			if err := c.flushBuf(); err != nil {
				return written, err
			}
		}
	}
	return written, nil
}

func (c *contentWriter) flushBuf() error {
	if len(c.buf) == 0 {
		return nil
	}
	err := c.pw.WritePacket(c.buf)
	c.buf = c.buf[:0]
	return err
}
