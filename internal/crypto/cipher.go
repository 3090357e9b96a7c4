package crypto

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

// Cipher is a remote's decrypted cipher string: base64 text of random
// bytes followed by "\n", as `gpg --gen-random --armor 2 N` prints it (685
// bytes for shared, hybrid and sharedpubkey; 345 for pubkey). It is the
// secret behind both the key names and, for shared and hybrid, the
// symmetric content passphrase. The zero value is not usable.
type Cipher struct {
	text    []byte
	macOnly bool
}

// NewCipher wraps a cipher string as read from remote.log (shared,
// sharedpubkey) or decrypted with gpg (hybrid, pubkey).
func NewCipher(s Scheme, text []byte) Cipher {
	return Cipher{text: bytes.Clone(text), macOnly: s.macOnly()}
}

// GenerateCipher makes a new cipher for scheme s. Where git-annex runs
// `gpg --gen-random --armor 2 N`, this reads N bytes from crypto/rand and
// writes them in the same format: standard base64 on one line plus "\n"
// (N = 256 for pubkey, 512 otherwise).
func GenerateCipher(s Scheme) (Cipher, error) {
	raw := make([]byte, s.cipherBytes())
	if _, err := rand.Read(raw); err != nil {
		return Cipher{}, fmt.Errorf("generating a %s cipher: %w", s, err)
	}
	text := base64.StdEncoding.AppendEncode(nil, raw)
	return Cipher{text: append(text, '\n'), macOnly: s.macOnly()}, nil
}

// Bytes returns the cipher string (a copy).
func (c Cipher) Bytes() []byte { return bytes.Clone(c.text) }

// MACKey is the HMAC key for key names: the first 256 bytes of the cipher
// string for shared and hybrid, the whole string (newline included) for
// pubkey and sharedpubkey.
func (c Cipher) MACKey() []byte {
	if c.macOnly || len(c.text) < 256 {
		return c.text
	}
	return c.text[:256]
}

// Passphrase is the symmetric content passphrase of shared and hybrid
// remotes: the cipher string after its first 256 bytes, up to the first
// newline (git-annex writes the rest of the string to gpg's
// --passphrase-fd, which stops at a newline): 428 base64 characters.
func (c Cipher) Passphrase() []byte {
	if len(c.text) <= 256 {
		return nil
	}
	p := c.text[256:]
	if i := bytes.IndexByte(p, '\n'); i >= 0 {
		p = p[:i]
	}
	return p
}
