package crypto

import (
	"context"
	"encoding/base64"
	"errors"
	"testing"
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
