package crypto

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // OpenPGP's MDC is SHA-1 (RFC 4880 5.13)
	"crypto/subtle"
	"errors"
	"hash"
	"io"
	"sync"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// SEIPD v1 (RFC 4880 section 5.13) is done here rather than by go-crypto,
// whose OpenPGP CFB mode XORs byte by byte: the standard library's CFB
// over the same stream (zero IV, no resynchronisation) is twice as fast,
// and decryption goes through newCFBDecrypter's bulk AES (cfb.go).

const (
	tagSEIPD   = 18
	mdcTrailer = 22 // MDC packet: 0xd3, 0x14, SHA-1
)

// errMDC is a failed integrity check.
var errMDC = errors.New("integrity check (MDC) failed: the object is damaged or truncated")

// aesCFB returns the CFB stream of an AES cipher function with a zero IV,
// or ok false for other ciphers.
func aesCFB(cf packet.CipherFunction, key []byte, decrypt bool) (s cipher.Stream, ok bool, err error) {
	switch cf {
	case packet.CipherAES128, packet.CipherAES192, packet.CipherAES256:
	default:
		return nil, false, nil
	}
	if len(key) != cf.KeySize() {
		return nil, true, errors.New("session key of the wrong size")
	}
	if decrypt {
		s, err := newCFBDecrypter(key)
		return s, true, err
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, true, err
	}
	iv := make([]byte, aes.BlockSize)
	return cipher.NewCFBEncrypter(b, iv), true, nil //nolint:staticcheck // OpenPGP's mode; integrity is the MDC
}

// seipdWriter writes a SEIPD v1 packet: the random prefix, the contents
// and the MDC packet, encrypted in CFB mode, in partial body lengths.
type seipdWriter struct {
	out *partialWriter
	cfb cipher.Stream
	mdc hash.Hash
	buf *[]byte // from copyBufs, given back by Close
}

// newSEIPDWriter starts a SEIPD v1 packet on w encrypted with key (AES).
func newSEIPDWriter(w io.Writer, cf packet.CipherFunction, key []byte) (*seipdWriter, error) {
	cfb, ok, err := aesCFB(cf, key, false)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errors.New("symmetric encryption: only AES is written")
	}
	s := &seipdWriter{out: newPartialWriter(w, tagSEIPD), cfb: cfb, mdc: sha1.New(), buf: copyBufs.Get().(*[]byte)}
	if _, err := s.out.Write([]byte{1}); err != nil { // version
		return nil, err
	}
	prefix := make([]byte, aes.BlockSize+2)
	if _, err := rand.Read(prefix[:aes.BlockSize]); err != nil {
		return nil, err
	}
	copy(prefix[aes.BlockSize:], prefix[aes.BlockSize-2:aes.BlockSize])
	if _, err := s.Write(prefix); err != nil {
		return nil, err
	}
	return s, nil
}

// Write encrypts p into the packet.
func (s *seipdWriter) Write(p []byte) (int, error) {
	s.mdc.Write(p)
	buf := *s.buf
	for done := 0; done < len(p); {
		n := min(len(p)-done, len(buf))
		s.cfb.XORKeyStream(buf[:n], p[done:done+n])
		if _, err := s.out.Write(buf[:n]); err != nil {
			return done, err
		}
		done += n
	}
	return len(p), nil
}

// Close writes the MDC packet and ends the SEIPD packet; it does not close
// the underlying writer. The writer must not be used afterwards.
func (s *seipdWriter) Close() error {
	copyBufs.Put(s.buf)
	s.buf = nil
	trailer := []byte{0xd3, 0x14}
	s.mdc.Write(trailer)
	trailer = s.mdc.Sum(trailer)
	s.cfb.XORKeyStream(trailer, trailer)
	if _, err := s.out.Write(trailer); err != nil {
		return err
	}
	return s.out.Close()
}

// partialWriter writes one packet's body in partial body lengths of 64
// KiB (a power of two, at least the 512 bytes the first part needs),
// ending with a final length.
type partialWriter struct {
	w   io.Writer
	hdr []byte // the tag until the first part is out
	buf []byte // from partBufs, given back by Close
	n   int
}

const partialPart = 1 << 16

// partBufs holds the buffers of partialWriters, reused across messages.
var partBufs = sync.Pool{New: func() any { b := make([]byte, partialPart); return &b }}

func newPartialWriter(w io.Writer, tag byte) *partialWriter {
	return &partialWriter{w: w, hdr: []byte{0xc0 | tag}, buf: *partBufs.Get().(*[]byte)}
}

func (p *partialWriter) Write(b []byte) (int, error) {
	written := 0
	for len(b) > 0 {
		if p.n == len(p.buf) {
			if err := p.flush(0xe0 | 16); err != nil {
				return written, err
			}
		}
		c := copy(p.buf[p.n:], b)
		p.n += c
		b = b[c:]
		written += c
	}
	return written, nil
}

// flush writes the buffered body after the given length octets.
func (p *partialWriter) flush(length ...byte) error {
	if _, err := p.w.Write(append(p.hdr, length...)); err != nil {
		return err
	}
	p.hdr = p.hdr[:0]
	if _, err := p.w.Write(p.buf[:p.n]); err != nil {
		return err
	}
	p.n = 0
	return nil
}

// Close writes the rest as the final part. The writer must not be used
// afterwards.
func (p *partialWriter) Close() error {
	defer func() {
		buf := p.buf
		partBufs.Put(&buf)
		p.buf = nil
	}()
	switch n := p.n; {
	case n < 192:
		return p.flush(byte(n))
	case n < 8384:
		n -= 192
		return p.flush(byte(n>>8)+192, byte(n))
	default:
		return p.flush(0xff, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}

// mdcReader decrypts the contents of a SEIPD v1 packet, keeping the last
// 22 bytes (the MDC packet) back and checking them at the end: Read
// returns errMDC instead of io.EOF when they do not match.
type mdcReader struct {
	in   io.Reader
	cfb  cipher.Stream
	h    hash.Hash
	buf  []byte
	r, w int
	eof  bool
	done error // io.EOF once verified, or the failure
}

// newMDCReader starts decrypting contents (after the version octet) with
// an AES session key; it reads and checks the random prefix (a wrong key
// fails here, mostly).
func newMDCReader(contents io.Reader, cfb cipher.Stream) (*mdcReader, error) {
	prefix := make([]byte, aes.BlockSize+2)
	if _, err := io.ReadFull(contents, prefix); err != nil {
		return nil, noEOF(err)
	}
	cfb.XORKeyStream(prefix, prefix)
	if prefix[aes.BlockSize-2] != prefix[aes.BlockSize] || prefix[aes.BlockSize-1] != prefix[aes.BlockSize+1] {
		return nil, errWrongPassphrase
	}
	m := &mdcReader{in: contents, cfb: cfb, h: sha1.New(), buf: make([]byte, ioBufSize)}
	m.h.Write(prefix)
	return m, nil
}

func (m *mdcReader) Read(p []byte) (int, error) {
	if m.done != nil {
		return 0, m.done
	}
	for m.w-m.r <= mdcTrailer && !m.eof {
		m.w = copy(m.buf, m.buf[m.r:m.w])
		m.r = 0
		n, err := m.in.Read(m.buf[m.w:])
		m.cfb.XORKeyStream(m.buf[m.w:m.w+n], m.buf[m.w:m.w+n])
		m.w += n
		if err == io.EOF {
			m.eof = true
		} else if err != nil {
			return 0, err
		}
	}
	avail := m.w - m.r - mdcTrailer
	if avail <= 0 {
		m.done = m.verify()
		return 0, m.done
	}
	n := copy(p, m.buf[m.r:m.r+avail])
	m.h.Write(p[:n])
	m.r += n
	return n, nil
}

// verify checks the MDC packet at the end of the contents.
func (m *mdcReader) verify() error {
	t := m.buf[m.r:m.w]
	if len(t) != mdcTrailer || t[0] != 0xd3 || t[1] != 0x14 {
		return errMDC
	}
	m.h.Write(t[:2])
	if subtle.ConstantTimeCompare(m.h.Sum(nil), t[2:]) != 1 {
		return errMDC
	}
	return io.EOF
}

// Close reads the rest of the contents and reports whether the MDC
// matched.
func (m *mdcReader) Close() error {
	if _, err := io.Copy(io.Discard, m); err != nil {
		return err
	}
	return nil
}
