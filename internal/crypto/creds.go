package crypto

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
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
// remote.log (s3creds=, or an external remote's SETCREDS setting):
// base64 of the credentials encrypted as the remote encrypts content when
// c is not nil, base64 of the plain credentials when c is nil
// (embedcreds=yes without encryption).
func EmbedCreds(ctx context.Context, c *Crypter, login, password string) (string, error) {
	plain := EncodeCreds(login, password)
	if c == nil {
		return base64.StdEncoding.EncodeToString([]byte(plain)), nil
	}
	var out bytes.Buffer
	if err := c.Encrypt(ctx, &out, strings.NewReader(plain)); err != nil {
		return "", fmt.Errorf("encrypting embedded credentials: %w", err)
	}
	return base64.StdEncoding.EncodeToString(out.Bytes()), nil
}

// ExtractCreds reverses EmbedCreds (c nil: plain credentials).
func ExtractCreds(ctx context.Context, c *Crypter, value string) (login, password string, err error) {
	raw, err := base64.StdEncoding.DecodeString(value)
	if err != nil {
		return "", "", fmt.Errorf("%w: not base64: %w", ErrBadCreds, err)
	}
	if c != nil {
		var plain bytes.Buffer
		if err := c.Decrypt(ctx, &plain, bytes.NewReader(raw)); err != nil {
			return "", "", fmt.Errorf("decrypting embedded credentials: %w", err)
		}
		raw = plain.Bytes()
	}
	return DecodeCreds(string(raw))
}
