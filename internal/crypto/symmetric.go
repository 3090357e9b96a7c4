package crypto

import (
	"crypto"
	"errors"
	"fmt"
	"io"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/ProtonMail/go-crypto/openpgp/s2k"
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
// AEAD), ZIP compression. It is new on each call: go-crypto's s2k.Generate
// writes to the S2K config it is given, so one shared config would be a
// data race between concurrent encryptions.
func symmetricConfig() *packet.Config {
	return &packet.Config{
		DefaultCipher:          packet.CipherAES256,
		DefaultCompressionAlgo: packet.CompressionZIP,
		CompressionConfig:      &packet.CompressionConfig{Level: 1},
		S2KConfig: &s2k.Config{
			S2KMode:  s2k.IteratedSaltedS2K,
			Hash:     crypto.SHA256,
			S2KCount: SymmetricS2KCount,
		},
	}
}

// EncryptSymmetric encrypts everything src holds into dst as a binary
// OpenPGP message that `gpg --decrypt --passphrase P` reads: SKESK v4,
// SEIPD v1 with MDC, a compressed packet, a binary literal packet with an
// empty file name. It streams; nothing is buffered whole.
func EncryptSymmetric(dst io.Writer, src io.Reader, passphrase []byte) error {
	if len(passphrase) == 0 {
		return errors.New("symmetric encryption: empty passphrase")
	}
	w, err := openpgp.SymmetricallyEncrypt(dst, passphrase, &openpgp.FileHints{IsBinary: true}, symmetricConfig())
	if err != nil {
		return fmt.Errorf("symmetric encryption: %w", err)
	}
	if _, err := io.Copy(w, src); err != nil {
		_ = w.Close()
		return fmt.Errorf("symmetric encryption: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("symmetric encryption: %w", err)
	}
	return nil
}

// ErrDecrypt is wrapped by every failure to decrypt content: a wrong
// passphrase, a message that is not OpenPGP, or one that fails its
// integrity check (a truncated or altered object).
var ErrDecrypt = errors.New("cannot decrypt")

// DecryptSymmetric decrypts a passphrase-encrypted OpenPGP message (as gpg
// --symmetric or EncryptSymmetric writes it) from src into dst. It
// streams, so on error dst may already hold some unverified plaintext: the
// caller must discard it. Messages without an integrity check (no MDC) are
// refused.
func DecryptSymmetric(dst io.Writer, src io.Reader, passphrase []byte) error {
	tried := false
	prompt := func(_ []openpgp.Key, symmetric bool) ([]byte, error) {
		if tried || !symmetric {
			return nil, errors.New("wrong passphrase (is this the remote's cipher?)")
		}
		tried = true
		return passphrase, nil
	}
	md, err := openpgp.ReadMessage(src, nil, prompt, nil)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrDecrypt, err)
	}
	if _, err := io.Copy(dst, md.UnverifiedBody); err != nil {
		return fmt.Errorf("%w: %w", ErrDecrypt, err)
	}
	return nil
}
