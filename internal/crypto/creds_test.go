package crypto

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCredsEncoding(t *testing.T) {
	if got := EncodeCreds("user", "pass word"); got != "user\npass word\n" {
		t.Errorf("EncodeCreds = %q", got)
	}
	for _, bad := range []string{"", "nonewline", "a\nb\nc\n"} {
		if _, _, err := DecodeCreds(bad); !errors.Is(err, ErrBadCreds) {
			t.Errorf("DecodeCreds(%q) = %v", bad, err)
		}
	}
}

func TestEmbedCreds(t *testing.T) {
	ctx := context.Background()
	plain, err := EmbedCreds(ctx, nil, "id", "secret")
	if err != nil || plain != base64.StdEncoding.EncodeToString([]byte("id\nsecret\n")) {
		t.Fatalf("plain embedded creds %q, %v", plain, err)
	}
	c, err := Generate(ctx, Shared, HMACSHA1, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := EmbedCreds(ctx, c, "id", "secret")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		c     *Crypter
		value string
	}{{nil, plain}, {c, enc}} {
		login, pw, err := ExtractCreds(ctx, tc.c, tc.value)
		if err != nil || login != "id" || pw != "secret" {
			t.Errorf("ExtractCreds = %q, %q, %v", login, pw, err)
		}
	}
	if _, _, err := ExtractCreds(ctx, c, plain); !errors.Is(err, ErrDecrypt) {
		t.Errorf("plain creds read as encrypted: %v", err)
	}
}

// TestReadsGitAnnexEmbeddedCreds reads creds git-annex 10.20230126
// embedded (SETCREDS at INITREMOTE, embedcreds=yes) in an
// encryption=shared external remote, with the cipher of the same
// remote.log line, and checks that what EmbedCreds writes has git-annex's
// form: decoded, valid UTF-8 of characters below 256.
func TestReadsGitAnnexEmbeddedCreds(t *testing.T) {
	ctx := context.Background()
	data, err := os.ReadFile(filepath.Join("testdata", "gitannex", "embedcreds_remote.log"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := map[string]string{}
	for _, field := range strings.Fields(string(data))[1:] {
		k, v, _ := strings.Cut(field, "=")
		cfg[k] = v
	}
	s, err := ParseSettings(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Open(ctx, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	login, pw, err := ExtractCreds(ctx, c, cfg["mycreds"])
	if err != nil || login != "user" || pw != "s3cret" {
		t.Fatalf("git-annex's creds read as %q %q %v", login, pw, err)
	}
	v, err := EmbedCreds(ctx, c, "AKID", "SECRET")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil || !utf8.Valid(raw) {
		t.Fatalf("embedded value is not base64 of UTF-8: %v", err)
	}
	wide := false
	for _, r := range string(raw) {
		if r > 0xff {
			t.Fatalf("embedded value holds %U, not an 8-bit character", r)
		}
		wide = wide || r >= 0x80
	}
	if !wide {
		t.Error("ciphertext without a byte of 0x80 or more: the test shows nothing")
	}
	if login, pw, err := ExtractCreds(ctx, c, v); err != nil || login != "AKID" || pw != "SECRET" {
		t.Errorf("round trip = %q %q %v", login, pw, err)
	}
	// Plain base64 of the ciphertext (Trove's earlier form) still reads.
	var ct bytes.Buffer
	if err := c.Encrypt(ctx, &ct, strings.NewReader(EncodeCreds("old", "form"))); err != nil {
		t.Fatal(err)
	}
	if login, pw, err := ExtractCreds(ctx, c, base64.StdEncoding.EncodeToString(ct.Bytes())); err != nil || login != "old" || pw != "form" {
		t.Errorf("raw-ciphertext creds = %q %q %v", login, pw, err)
	}
}

func FuzzNarrowWiden(f *testing.F) {
	f.Add([]byte{0x8c, 0x0d, 0x04, 'a', 0xff, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := narrow(widen(b))
		if !ok || !bytes.Equal(got, b) {
			t.Errorf("narrow(widen(%x)) = %x, %v", b, got, ok)
		}
		if n, ok := narrow(b); ok && !bytes.Equal(widen(n), b) {
			t.Errorf("widen(narrow(%x)) = %x", b, widen(n))
		}
	})
}

func FuzzDecodeCreds(f *testing.F) {
	f.Add("user\npass\n")
	f.Add("a\n")
	f.Fuzz(func(t *testing.T, s string) {
		login, pw, err := DecodeCreds(s)
		if err != nil {
			return
		}
		l2, p2, err := DecodeCreds(EncodeCreds(login, pw))
		if err != nil || l2 != login || p2 != pw {
			t.Errorf("%q: re-encoding gave %q %q %v", s, l2, p2, err)
		}
	})
}

func FuzzParseSettings(f *testing.F) {
	f.Add("shared", "Y2k=", "", "", "HMACSHA256")
	f.Add("", "Y2k=", "A,B", "", "")
	f.Fuzz(func(t *testing.T, enc, cipher, cipherkeys, pubkeys, mac string) {
		cfg := map[string]string{"encryption": enc, "cipher": cipher, "cipherkeys": cipherkeys, "pubkeys": pubkeys, "mac": mac}
		s, err := ParseSettings(cfg)
		if err != nil {
			return
		}
		f := s.Fields()
		f["encryption"] = string(s.Scheme)
		f["mac"] = string(s.MAC)
		s2, err := ParseSettings(f)
		if err != nil || s2.Scheme != s.Scheme || s2.Cipher != s.Cipher || len(s2.KeyIDs) != len(s.KeyIDs) {
			t.Errorf("%v: settings %+v did not survive Fields: %+v %v", cfg, s, s2, err)
		}
	})
}
