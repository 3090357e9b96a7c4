package filter

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// MaxData is the largest payload of one pkt-line: 65520 bytes per packet
// minus the 4-byte length header.
const MaxData = 65516

const headerLen = 4

// ErrProtocol is wrapped by every error caused by malformed or unexpected
// protocol input. Such errors leave the stream unusable.
var ErrProtocol = errors.New("filter protocol error")

// PacketReader reads pkt-lines. It is not safe for concurrent use.
type PacketReader struct {
	r   *bufio.Reader
	buf [MaxData]byte
}

// NewPacketReader returns a PacketReader reading from r.
func NewPacketReader(r io.Reader) *PacketReader {
	return &PacketReader{r: bufio.NewReaderSize(r, MaxData+headerLen)}
}

// ReadPacket reads one packet. A flush packet ("0000") yields flush=true and
// no data. The returned slice is valid only until the next call. At a clean
// end of input before any byte of a packet it returns io.EOF; a truncated
// packet yields an error wrapping ErrProtocol and io.ErrUnexpectedEOF.
// Lengths 0001-0003 and above 65520 are rejected with ErrProtocol.
func (p *PacketReader) ReadPacket() (data []byte, flush bool, err error) {
	var hdr [headerLen]byte
	if _, err := io.ReadFull(p.r, hdr[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, false, fmt.Errorf("%w: truncated packet header: %w", ErrProtocol, err)
		}
		return nil, false, err
	}
	n, ok := parseHex4(hdr)
	if !ok {
		return nil, false, fmt.Errorf("%w: bad packet length %q", ErrProtocol, hdr[:])
	}
	switch {
	case n == 0:
		return nil, true, nil
	case n < headerLen || n > MaxData+headerLen:
		return nil, false, fmt.Errorf("%w: invalid packet length %d", ErrProtocol, n)
	}
	data = p.buf[:n-headerLen]
	if _, err := io.ReadFull(p.r, data); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, false, fmt.Errorf("%w: truncated packet of length %d: %w", ErrProtocol, n, err)
	}
	return data, false, nil
}

// ReadText reads packets up to the next flush and returns them as text
// lines with one trailing newline removed from each. io.EOF is returned
// only when the input ends before the first packet.
func (p *PacketReader) ReadText() ([]string, error) {
	var lines []string
	for {
		data, flush, err := p.ReadPacket()
		if err != nil {
			if errors.Is(err, io.EOF) && lines != nil {
				return nil, fmt.Errorf("%w: input ended inside a text list: %w", ErrProtocol, io.ErrUnexpectedEOF)
			}
			return nil, err
		}
		if flush {
			if lines == nil {
				lines = []string{}
			}
			return lines, nil
		}
		if n := len(data); n > 0 && data[n-1] == '\n' {
			data = data[:n-1]
		}
		lines = append(lines, string(data))
	}
}

func parseHex4(h [headerLen]byte) (int, bool) {
	n := 0
	for _, c := range h {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		n = n<<4 | int(d)
	}
	return n, true
}

// PacketWriter writes pkt-lines through a buffer. Nothing reaches the
// underlying writer before Sync (or the buffer filling up). It is not safe
// for concurrent use.
type PacketWriter struct {
	w *bufio.Writer
}

// NewPacketWriter returns a PacketWriter writing to w.
func NewPacketWriter(w io.Writer) *PacketWriter {
	return &PacketWriter{w: bufio.NewWriterSize(w, MaxData+headerLen)}
}

const hexDigits = "0123456789abcdef"

// WritePacket writes data as one packet. data must be 1..MaxData bytes long.
func (p *PacketWriter) WritePacket(data []byte) error {
	n := len(data)
	if n == 0 || n > MaxData {
		return fmt.Errorf("filter: packet payload of %d bytes out of range 1..%d", n, MaxData)
	}
	n += headerLen
	hdr := [headerLen]byte{hexDigits[n>>12&0xf], hexDigits[n>>8&0xf], hexDigits[n>>4&0xf], hexDigits[n&0xf]}
	if _, err := p.w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := p.w.Write(data)
	return err
}

// WriteText writes each line as a packet terminated by a newline, then a
// flush packet.
func (p *PacketWriter) WriteText(lines ...string) error {
	for _, l := range lines {
		if err := p.WritePacket([]byte(l + "\n")); err != nil {
			return err
		}
	}
	return p.WriteFlush()
}

// WriteFlush writes a flush packet ("0000").
func (p *PacketWriter) WriteFlush() error {
	_, err := p.w.WriteString("0000")
	return err
}

// Sync writes buffered packets to the underlying writer.
func (p *PacketWriter) Sync() error {
	return p.w.Flush()
}
