package crypto

import (
	"bufio"
	"compress/bzip2"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/zlib"
)

// OpenPGP packet tags (RFC 4880 section 4.3).
const (
	tagCompressed = 8
	tagLiteral    = 11
)

// openEncrypted reads the packets of a passphrase-encrypted message up to
// its encrypted data packet and returns the decrypted contents. Reading
// them to the end and closing the reader checks the integrity (MDC or
// AEAD tags); Close reports a mismatch. The contents of a SEIPD v1 packet
// encrypted with AES are opened by openV1 (newMDCReader, or
// openWholeMDC).
func openEncrypted(in *bufio.Reader, passphrase []byte, openV1 func(io.Reader, cipher.Stream) (io.ReadCloser, error)) (io.ReadCloser, error) {
	var skesks []skesk
	for {
		if s, ok := readIterSKESK(in); ok {
			skesks = append(skesks, s)
			continue
		}
		p, err := packet.Read(in)
		if err == io.EOF {
			return nil, errors.New("no encrypted data in the message")
		}
		if err != nil {
			return nil, err
		}
		switch p := p.(type) {
		case *packet.SymmetricKeyEncrypted:
			skesks = append(skesks, p)
		case *packet.EncryptedKey:
			// Encrypted to a public key as well: not ours to use.
		case *packet.SymmetricallyEncrypted:
			if !p.IntegrityProtected {
				return nil, errors.New("the message has no integrity check (MDC)")
			}
			if p.Version == 1 {
				return decryptWith(skesks, passphrase, func(cf packet.CipherFunction, key []byte) (io.ReadCloser, error) {
					cfb, ok, err := aesCFB(cf, key, true)
					if err != nil || !ok {
						return p.Decrypt(cf, key)
					}
					return openV1(p.Contents, cfb)
				})
			}
			return decryptWith(skesks, passphrase, p.Decrypt)
		case *packet.AEADEncrypted:
			return decryptWith(skesks, passphrase, p.Decrypt)
		default:
			return nil, fmt.Errorf("unexpected %T before the encrypted data", p)
		}
	}
}

// decryptWith derives the session key from the first SKESK packet the
// passphrase opens and starts decryption with it.
func decryptWith(skesks []skesk, passphrase []byte,
	decrypt func(packet.CipherFunction, []byte) (io.ReadCloser, error)) (io.ReadCloser, error) {
	last := errWrongPassphrase
	for _, s := range skesks {
		key, cf, err := s.Decrypt(passphrase)
		if err != nil {
			continue
		}
		rc, err := decrypt(cf, key)
		if err == nil {
			return rc, nil
		}
		last = err
	}
	if errors.Is(last, errWrongPassphrase) || errors.Is(last, pgperrors.ErrKeyIncorrect) {
		return nil, errWrongPassphrase
	}
	// The passphrase gave a key, but the content did not decrypt with
	// it: truncated or damaged, most likely.
	return nil, fmt.Errorf("the encrypted content is damaged (%w); `git annex fsck --from REMOTE` checks the remote's copies", last)
}

// errWrongPassphrase is the failure of a key that does not open the
// message (OpenPGP's quick check of the random prefix).
var errWrongPassphrase = errors.New("wrong passphrase (is this the remote's cipher?)")

// openLiteral reads the header of the literal data packet at the start of
// r, inside a compressed packet or not, and returns a reader of the
// literal data. Deflate (ZIP, ZLIB) is decompressed with klauspost's
// decoder, much faster than compress/flate, which go-crypto's own message
// reader would use.
func openLiteral(r *bufio.Reader) (io.Reader, error) {
	tag, body, err := readPacket(r)
	if err != nil {
		return nil, err
	}
	if tag == tagCompressed {
		if body, err = decompress(body); err != nil {
			return nil, err
		}
		r = bufio.NewReaderSize(body, ioBufSize)
		if tag, body, err = readPacket(r); err != nil {
			return nil, err
		}
	}
	if tag != tagLiteral {
		return nil, fmt.Errorf("encrypted packet holds packet type %d, not literal data", tag)
	}
	// Literal data header: format, file name length and name, date.
	var hdr [6]byte
	if _, err := io.ReadFull(body, hdr[:2]); err != nil {
		return nil, fmt.Errorf("literal data packet: %w", err)
	}
	if _, err := io.CopyN(io.Discard, body, int64(hdr[1])); err != nil {
		return nil, fmt.Errorf("literal data packet: %w", err)
	}
	if _, err := io.ReadFull(body, hdr[2:]); err != nil {
		return nil, fmt.Errorf("literal data packet: %w", err)
	}
	return body, nil
}

// decompress reads the algorithm octet of a compressed packet's body and
// returns the decompressed packets.
func decompress(body io.Reader) (io.Reader, error) {
	var algo [1]byte
	if _, err := io.ReadFull(body, algo[:]); err != nil {
		return nil, fmt.Errorf("compressed packet: %w", err)
	}
	br, ok := body.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(body, ioBufSize)
	}
	switch packet.CompressionAlgo(algo[0]) {
	case packet.CompressionNone:
		return br, nil
	case packet.CompressionZIP:
		return flate.NewReader(br), nil
	case packet.CompressionZLIB:
		z, err := zlib.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("zlib compressed packet: %w", err)
		}
		return z, nil
	case 3: // BZip2
		return bzip2.NewReader(br), nil
	}
	return nil, fmt.Errorf("unknown compression algorithm %d", algo[0])
}

// readPacket reads a packet header (old or new format, RFC 4880 section
// 4.2) from r and returns the packet's tag and a reader of its body: r
// itself for an old-format packet of indeterminate length (to the end of
// r), a reader that follows partial body lengths, or a limited reader.
func readPacket(r *bufio.Reader) (tag byte, body io.Reader, err error) {
	ctb, err := r.ReadByte()
	if err != nil {
		return 0, nil, fmt.Errorf("packet header: %w", noEOF(err))
	}
	if ctb&0x80 == 0 {
		return 0, nil, fmt.Errorf("packet header %#02x: not an OpenPGP packet", ctb)
	}
	if ctb&0x40 == 0 {
		tag = (ctb >> 2) & 0xf
		var n uint64
		switch ctb & 3 {
		case 0:
			n, err = readBE(r, 1)
		case 1:
			n, err = readBE(r, 2)
		case 2:
			n, err = readBE(r, 4)
		default:
			return tag, r, nil
		}
		if err != nil {
			return 0, nil, err
		}
		return tag, io.LimitReader(r, int64(n)), nil
	}
	n, partial, err := readNewLength(r)
	if err != nil {
		return 0, nil, err
	}
	if partial {
		return ctb & 0x3f, &partialReader{r: r, left: n}, nil
	}
	return ctb & 0x3f, io.LimitReader(r, n), nil
}

// readNewLength reads a new-format body length; partial is true for a
// partial body length (more lengths follow the part).
func readNewLength(r *bufio.Reader) (n int64, partial bool, err error) {
	b, err := r.ReadByte()
	if err != nil {
		return 0, false, fmt.Errorf("packet length: %w", noEOF(err))
	}
	switch {
	case b < 192:
		return int64(b), false, nil
	case b < 224:
		b2, err := r.ReadByte()
		if err != nil {
			return 0, false, fmt.Errorf("packet length: %w", noEOF(err))
		}
		return (int64(b)-192)<<8 + int64(b2) + 192, false, nil
	case b < 255:
		return 1 << (b & 0x1f), true, nil
	}
	v, err := readBE(r, 4)
	return int64(v), false, err
}

// readBE reads an n-byte big-endian length.
func readBE(r io.Reader, n int) (uint64, error) {
	var b [8]byte
	if _, err := io.ReadFull(r, b[8-n:]); err != nil {
		return 0, fmt.Errorf("packet length: %w", noEOF(err))
	}
	return binary.BigEndian.Uint64(b[:]), nil
}

// noEOF turns io.EOF inside a packet into io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// partialReader reads a body of partial lengths: left bytes of the
// current part, then the next length from r, until a final length.
type partialReader struct {
	r    *bufio.Reader
	left int64
	last bool
}

func (p *partialReader) Read(b []byte) (int, error) {
	for p.left == 0 {
		if p.last {
			return 0, io.EOF
		}
		n, partial, err := readNewLength(p.r)
		if err != nil {
			return 0, err
		}
		p.left, p.last = n, !partial
	}
	if int64(len(b)) > p.left {
		b = b[:p.left]
	}
	n, err := p.r.Read(b)
	p.left -= int64(n)
	if err == io.EOF && p.left > 0 {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}
