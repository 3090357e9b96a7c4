package crypto

import (
	"bufio"
	"crypto"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/ProtonMail/go-crypto/openpgp/s2k"
	"github.com/klauspost/compress/flate"
)

// SymmetricS2KCount is the S2K iteration count of what EncryptSymmetric
// writes. gpg calibrates its count to about 100ms of hashing (65011712 on
// a fast machine); the passphrase here is 428 random base64 characters, so
// stretching adds no strength, and a small count keeps a chunked upload of
// thousands of pieces fast. Any count is read back by gpg and by
// DecryptSymmetric.
const SymmetricS2KCount = 65536

// symmetricConfig returns what gpg 2.2 writes for `--symmetric
// --force-mdc`: AES256, iterated and salted S2K, SEIPD v1 with MDC (no
// AEAD). It is new on each call: go-crypto's s2k.Generate writes to the
// S2K config it is given, so one shared config would be a data race
// between concurrent encryptions.
func symmetricConfig() *packet.Config {
	return &packet.Config{
		DefaultCipher: packet.CipherAES256,
		S2KConfig: &s2k.Config{
			S2KMode:  s2k.IteratedSaltedS2K,
			Hash:     crypto.SHA256,
			S2KCount: SymmetricS2KCount,
		},
	}
}

// ioBufSize is the size of the buffers content is copied and parsed
// through.
const ioBufSize = 256 << 10

// copyBufs holds copy buffers of ioBufSize, reused across messages.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, ioBufSize); return &b }}

// bufReaders holds buffered readers of ioBufSize, reused across messages.
var bufReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, ioBufSize) }}

// getReader returns a pooled buffered reader of r; putReader gives it back
// once nothing reads from it any more.
func getReader(r io.Reader) *bufio.Reader {
	br := bufReaders.Get().(*bufio.Reader)
	br.Reset(r)
	return br
}

func putReader(br *bufio.Reader) {
	br.Reset(nil)
	bufReaders.Put(br)
}

// EncryptSymmetric encrypts everything src holds into dst as a binary
// OpenPGP message that `gpg --decrypt --passphrase P` reads, in the shape
// gpg writes: SKESK v4, SEIPD v1 with MDC, a ZIP-compressed packet of
// indeterminate length (deflate level 1), a binary literal packet with an
// empty file name. It streams; nothing is buffered whole. It is safe for
// concurrent use.
func EncryptSymmetric(dst io.Writer, src io.Reader, passphrase []byte) error {
	if len(passphrase) == 0 {
		return errors.New("symmetric encryption: empty passphrase")
	}
	if err := encryptSymmetric(dst, src, passphrase); err != nil {
		return fmt.Errorf("symmetric encryption: %w", err)
	}
	return nil
}

func encryptSymmetric(dst io.Writer, src io.Reader, passphrase []byte) error {
	cfg := symmetricConfig()
	key, err := packet.SerializeSymmetricKeyEncrypted(dst, passphrase, cfg)
	if err != nil {
		return err
	}
	seipd, err := newSEIPDWriter(dst, cfg.Cipher(), key)
	if err != nil {
		return err
	}
	// Old-format compressed packet of indeterminate length, as gpg writes.
	if _, err := seipd.Write([]byte{0xa3, byte(packet.CompressionZIP)}); err != nil {
		return err
	}
	zw := deflaters.Get().(*flate.Writer)
	defer deflaters.Put(zw)
	zw.Reset(seipd)
	lit, err := packet.SerializeLiteral(zw, true, "", 0)
	if err != nil {
		return err
	}
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	if _, err := io.CopyBuffer(lit, src, *buf); err != nil {
		return err
	}
	if err := lit.Close(); err != nil { // closes zw too
		return err
	}
	return seipd.Close()
}

// deflaters holds level-1 deflate writers, reused across messages.
var deflaters = sync.Pool{New: func() any {
	w, err := flate.NewWriter(io.Discard, flate.BestSpeed)
	if err != nil {
		panic(err) // only for a bad level
	}
	return w
}}

// ErrDecrypt is wrapped by every failure to decrypt content: a wrong
// passphrase, a message that is not OpenPGP, or one that fails its
// integrity check (a truncated or altered object).
var ErrDecrypt = errors.New("cannot decrypt")

// DecryptSymmetric decrypts a passphrase-encrypted OpenPGP message (as gpg
// --symmetric or EncryptSymmetric writes it) from src into dst. It
// streams, so on error dst may already hold some unverified plaintext: the
// caller must discard it. Messages without an integrity check (no MDC) are
// refused. It is safe for concurrent use.
func DecryptSymmetric(dst io.Writer, src io.Reader, passphrase []byte) error {
	if err := decryptSymmetric(dst, src, passphrase); err != nil {
		return fmt.Errorf("%w: %w", ErrDecrypt, err)
	}
	return nil
}

func decryptSymmetric(dst io.Writer, src io.Reader, passphrase []byte) error {
	in := getReader(src)
	defer putReader(in)
	body, err := openEncrypted(in, passphrase, openWholeMDC)
	if err != nil {
		return err
	}
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	if w, ok := body.(*wholeBody); ok {
		defer w.release()
		handled, err := writeWhole(dst, w.b, *buf)
		if err != nil {
			return err
		}
		if handled {
			return endOfMessage(in)
		}
	}
	plain := getReader(body)
	defer putReader(plain)
	lit, err := openLiteral(plain)
	if err != nil {
		return err
	}
	if _, err := io.CopyBuffer(dst, lit, *buf); err != nil {
		return err
	}
	// The MDC is checked over all of the encrypted packet, read to its
	// end.
	if _, err := io.CopyBuffer(io.Discard, plain, *buf); err != nil {
		return err
	}
	if err := body.Close(); err != nil {
		return err
	}
	return endOfMessage(in)
}

// endOfMessage checks that nothing follows the encrypted packet.
func endOfMessage(in *bufio.Reader) error {
	if _, err := in.Peek(1); err != io.EOF {
		return errors.New("data after the encrypted packet")
	}
	return nil
}
