package crypto

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// EncodeCreds is git-annex's encodeCredPair: login, newline, password,
// newline.
func EncodeCreds(login, password string) string {
	return login + "\n" + password + "\n"
}

// ErrBadCreds means stored credentials are not "login\npassword\n".
var ErrBadCreds = errors.New("malformed stored credentials")

// DecodeCreds parses EncodeCreds's format (the final newline optional).
func DecodeCreds(s string) (login, password string, err error) {
	login, rest, ok := strings.Cut(s, "\n")
	if !ok {
		return "", "", ErrBadCreds
	}
	password, rest, _ = strings.Cut(rest, "\n")
	if rest != "" {
		return "", "", ErrBadCreds
	}
	return login, password, nil
}

// EmbedCreds returns the config value that embeds credentials in
// remote.log (s3creds=, or an external remote's SETCREDS setting) as
// git-annex 10 writes it (Creds.hs). With c nil (embedcreds=yes without
// encryption) it is base64 of the plain credentials. Otherwise the
// credentials are encrypted as the remote encrypts content, and git-annex
// takes the ciphertext as a string of 8-bit characters and base64-encodes
// its UTF-8 form: every byte of 0x80 or more becomes two bytes before
// base64. Other clones, Trove's or git-annex's, read it with ExtractCreds
// or git-annex's getRemoteCredPair.
func EmbedCreds(ctx context.Context, c *Crypter, login, password string) (string, error) {
	plain := EncodeCreds(login, password)
	if c == nil {
		return base64.StdEncoding.EncodeToString([]byte(plain)), nil
	}
	var ct bytes.Buffer
	if err := c.Encrypt(ctx, &ct, strings.NewReader(plain)); err != nil {
		return "", fmt.Errorf("encrypting embedded credentials: %w", err)
	}
	return base64.StdEncoding.EncodeToString(widen(ct.Bytes())), nil
}

// ExtractCreds reverses EmbedCreds (c nil: plain credentials). The
// decoded value is read as UTF-8 and each character narrowed to a byte
// before decryption, as git-annex reads it. A value whose decoded bytes
// are not such text is taken as the ciphertext itself (what Trove wrote
// before it followed git-annex here). Errors wrap ErrBadCreds (not base64,
// not "login\npassword\n") or ErrDecrypt.
func ExtractCreds(ctx context.Context, c *Crypter, value string) (login, password string, err error) {
	raw, err := base64.StdEncoding.DecodeString(value)
	if err != nil {
		return "", "", fmt.Errorf("%w: not base64: %w", ErrBadCreds, err)
	}
	if c == nil {
		return DecodeCreds(string(raw))
	}
	if narrow, ok := narrow(raw); ok {
		raw = narrow
	}
	var plain bytes.Buffer
	if err := c.Decrypt(ctx, &plain, bytes.NewReader(raw)); err != nil {
		return "", "", fmt.Errorf("decrypting embedded credentials: %w", err)
	}
	return DecodeCreds(plain.String())
}

// widen writes each byte of b as the UTF-8 encoding of the character
// with that code point.
func widen(b []byte) []byte {
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

// narrow reverses widen; ok is false when b is not valid UTF-8 of
// characters below 256.
func narrow(b []byte) (out []byte, ok bool) {
	if !utf8.Valid(b) {
		return nil, false
	}
	out = make([]byte, 0, len(b))
	for _, r := range string(b) {
		if r > 0xff {
			return nil, false
		}
		out = append(out, byte(r))
	}
	return out, true
}
