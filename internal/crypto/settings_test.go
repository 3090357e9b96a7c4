package crypto

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSettings(t *testing.T) {
	cases := []struct {
		cfg  map[string]string
		want Settings
	}{
		{map[string]string{}, Settings{Scheme: None, MAC: HMACSHA1}},
		{map[string]string{"encryption": "none", "mac": "HMACSHA256"}, Settings{Scheme: None, MAC: HMACSHA256}},
		{map[string]string{"encryption": "shared", "cipher": "Y2k="}, Settings{Scheme: Shared, MAC: HMACSHA1, Cipher: "Y2k="}},
		// Older remotes: no encryption= stored, the kind follows the fields.
		{map[string]string{"cipher": "Y2k=", "cipherkeys": "A,B"}, Settings{Scheme: Hybrid, MAC: HMACSHA1, Cipher: "Y2k=", KeyIDs: []string{"A", "B"}}},
		{map[string]string{"encryption": "pubkey", "cipher": "Y2k=", "cipherkeys": "A"}, Settings{Scheme: PubKey, MAC: HMACSHA1, Cipher: "Y2k=", KeyIDs: []string{"A"}}},
		{map[string]string{"encryption": "sharedpubkey", "cipher": "Y2k=", "pubkeys": "A"}, Settings{Scheme: SharedPubKey, MAC: HMACSHA1, Cipher: "Y2k=", KeyIDs: []string{"A"}}},
		// A scheme chosen but no cipher yet (Open then fails).
		{map[string]string{"encryption": "hybrid"}, Settings{Scheme: Hybrid, MAC: HMACSHA1}},
	}
	for _, tc := range cases {
		got, err := ParseSettings(tc.cfg)
		if err != nil {
			t.Errorf("%v: %v", tc.cfg, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%v (-want +got):\n%s", tc.cfg, diff)
		}
	}
	if _, err := ParseSettings(map[string]string{"encryption": "bogus"}); err == nil ||
		err.Error() != "Specify encryption=hybrid or encryption=none or encryption=pubkey or encryption=shared or encryption=sharedpubkey." {
		t.Errorf("bad encryption=: %v", err)
	}
	if _, err := ParseSettings(map[string]string{"mac": "X"}); !errors.Is(err, ErrBadMAC) {
		t.Errorf("bad mac=: %v", err)
	}
	if _, err := Open(context.Background(), Settings{Scheme: Hybrid, MAC: HMACSHA1}, nil); !errors.Is(err, ErrNoCipher) {
		t.Errorf("Open without a cipher: %v", err)
	}
}

func TestSettingsFieldsRoundTrip(t *testing.T) {
	for _, s := range []Settings{
		{Scheme: Shared, MAC: HMACSHA1, Cipher: "Y2k="},
		{Scheme: Hybrid, MAC: HMACSHA1, Cipher: "Y2k=", KeyIDs: []string{"A", "B"}},
		{Scheme: SharedPubKey, MAC: HMACSHA1, Cipher: "Y2k=", KeyIDs: []string{"A"}},
	} {
		f := s.Fields()
		f["encryption"] = string(s.Scheme)
		got, err := ParseSettings(f)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(s, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
}

func TestDescription(t *testing.T) {
	// As `git annex info` shows them after "encryption: <scheme> (".
	if got := (Settings{Scheme: Shared}).Description(); got != "encryption key stored in git repository" {
		t.Error(got)
	}
	if got := (Settings{Scheme: Hybrid, KeyIDs: []string{"6928610FF4D1979E"}}).Description(); got != "to gpg keys: 6928610FF4D1979E" {
		t.Error(got)
	}
}

func TestParseColonKeyIDs(t *testing.T) {
	listing := "tru:o:1:1795221370:1:3:1:5\npub:u:2048:1:6928610FF4D1979E:1795221370:::u:::scESC::::::23::0:\n" +
		"fpr:::::::::0123:\nuid:u::::1::X::T <t@t>::::::::::0:\nsub:u:2048:1:1111111111111111:1::::::e:\n"
	if diff := cmp.Diff([]string{"6928610FF4D1979E"}, parseColonKeyIDs(listing)); diff != "" {
		t.Error(diff)
	}
}

// TestGenerateOpenEachScheme generates a cipher for each scheme as
// initremote does, stores it as remote.log would, opens it again (as
// another command would) and checks that content and key names agree;
// public-key content is readable by plain gpg.
func TestGenerateOpenEachScheme(t *testing.T) {
	ctx := context.Background()
	g := testGPG(t)
	k := mustKey(t, "SHA256E-s2--fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603.dat")
	for _, scheme := range []Scheme{Shared, Hybrid, PubKey, SharedPubKey} {
		t.Run(string(scheme), func(t *testing.T) {
			c, err := Generate(ctx, scheme, HMACSHA512, []string{"test@trove.invalid"}, g)
			if err != nil {
				t.Fatal(err)
			}
			s := c.Settings()
			if scheme != Shared && !cmp.Equal(s.KeyIDs, []string{testKeyID}) {
				t.Errorf("key ids %v, want the resolved long id %s", s.KeyIDs, testKeyID)
			}
			f := s.Fields()
			f["encryption"] = string(scheme)
			f["mac"] = string(HMACSHA512)
			parsed, err := ParseSettings(f)
			if err != nil {
				t.Fatal(err)
			}
			c2, err := Open(ctx, parsed, g)
			if err != nil {
				t.Fatal(err)
			}
			if c.EncryptKey(k) != c2.EncryptKey(k) {
				t.Error("key names differ after storing and reopening the cipher")
			}
			var msg, out bytes.Buffer
			if err := c.Encrypt(ctx, &msg, strings.NewReader("ab")); err != nil {
				t.Fatal(err)
			}
			if err := c2.Decrypt(ctx, &out, bytes.NewReader(msg.Bytes())); err != nil || out.String() != "ab" {
				t.Fatalf("decrypted %q, %v", out.String(), err)
			}
			if scheme.macOnly() {
				out.Reset()
				if err := g.run(ctx, bytes.NewReader(msg.Bytes()), &out, "--batch", "--quiet", "--decrypt"); err != nil || out.String() != "ab" {
					t.Errorf("gpg --decrypt gave %q, %v", out.String(), err)
				}
			}
		})
	}
	if _, err := Generate(ctx, Hybrid, HMACSHA1, nil, g); err == nil || err.Error() != "Specify keyid=..." {
		t.Errorf("hybrid without keyid: %v", err)
	}
	if _, err := Generate(ctx, PubKey, HMACSHA1, []string{"nosuchkey@nowhere"}, g); !errors.Is(err, ErrGPG) {
		t.Errorf("unknown key: %v", err)
	}
}

func TestRekey(t *testing.T) {
	ctx := context.Background()
	g := testGPG(t)
	if err := g.run(ctx, nil, nil, "--batch", "--quiet", "--passphrase", "", "--quick-gen-key",
		"Second <second@trove.invalid>", "future-default", "default", "never"); err != nil {
		t.Fatal(err)
	}
	second, err := g.KeyIDs(ctx, "second@trove.invalid")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Generate(ctx, Hybrid, HMACSHA1, []string{testKeyID}, g)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Rekey(ctx, []string{"second@trove.invalid"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]string{testKeyID}, second...)
	if want[1] < want[0] {
		want[0], want[1] = want[1], want[0]
	}
	if diff := cmp.Diff(want, s.KeyIDs); diff != "" {
		t.Errorf("keys after keyid+= (-want +got):\n%s", diff)
	}
	c2, err := Open(ctx, s, g)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c2.Cipher().Bytes(), c.Cipher().Bytes()) {
		t.Error("rekeying changed the cipher")
	}
	if _, err := c.Rekey(ctx, nil, []string{testKeyID}); err == nil || err.Error() != "Cannot remove the last key." {
		t.Errorf("removing the last key: %v", err)
	}
}
