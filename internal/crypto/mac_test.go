package crypto

import (
	"errors"
	"testing"

	"github.com/troveproject/trove/internal/key"
)

func TestMACSelfTest(t *testing.T) {
	// Crypto.hs's self-test, re-verified with Python's hmac.
	if got, want := HMACSHA1.Sum([]byte("foo"), []byte("bar")), "46b4ec586117154dacd49d664e5d63fdc88efb51"; got != want {
		t.Errorf("HMAC-SHA1(foo, bar) = %s, want %s", got, want)
	}
}

func TestParseMAC(t *testing.T) {
	for _, s := range []string{"HMACSHA1", "HMACSHA224", "HMACSHA256", "HMACSHA384", "HMACSHA512"} {
		m, err := ParseMAC(s)
		if err != nil || string(m) != s {
			t.Errorf("ParseMAC(%q) = %q, %v", s, m, err)
		}
	}
	if m, err := ParseMAC(""); err != nil || m != HMACSHA1 {
		t.Errorf("ParseMAC(\"\") = %q, %v; want the default HMACSHA1", m, err)
	}
	for _, s := range []string{"FOO", "hmacsha1", "HMACMD5"} {
		if _, err := ParseMAC(s); !errors.Is(err, ErrBadMAC) || err.Error() != "bad mac value" {
			t.Errorf("ParseMAC(%q) error = %v, want git-annex's \"bad mac value\"", s, err)
		}
	}
}

func TestMACDigestLengths(t *testing.T) {
	k := key.Key{Variety: "SHA256E", Size: 2, HasSize: true, Name: "x.dat"}
	for m, hexLen := range map[MAC]int{HMACSHA1: 40, HMACSHA224: 56, HMACSHA256: 64, HMACSHA384: 96, HMACSHA512: 128} {
		ek := m.EncryptKey([]byte("k"), k)
		if ek.Variety != "GPG"+string(m) || len(ek.Name) != hexLen || ek.HasSize {
			t.Errorf("%s: encrypted key %s", m, ek.String())
		}
		if _, err := key.Parse(ek.String()); err != nil {
			t.Errorf("%s: %v", m, err)
		}
	}
}
