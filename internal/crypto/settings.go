package crypto

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Settings are a remote's encryption fields in remote.log.
type Settings struct {
	// Scheme is the effective scheme. With a cipher it follows the cipher
	// fields as git-annex's extractCipher does (cipherkeys= → hybrid, or
	// pubkey when encryption=pubkey; pubkeys= → sharedpubkey; cipher=
	// alone → shared), so remotes made before encryption= was stored
	// still work.
	Scheme Scheme
	// MAC names encrypted keys.
	MAC MAC
	// Cipher is the cipher= value: base64 of the cipher string (shared,
	// sharedpubkey) or of the gpg message holding it (hybrid, pubkey).
	Cipher string
	// KeyIDs are the gpg keys: cipherkeys= (hybrid, pubkey) or pubkeys=
	// (sharedpubkey).
	KeyIDs []string
}

// ErrNoCipher means the config names an encryption scheme but holds no cipher.
var ErrNoCipher = errors.New("encrypted remote has no cipher= in its configuration")

// ParseSettings reads the encryption fields of a remote's config
// (remote.log fields). A config without encryption= and cipher= is
// Scheme None. It fails on a bad mac= (ErrBadMAC) or encryption= value.
func ParseSettings(cfg map[string]string) (Settings, error) {
	mac, err := ParseMAC(cfg["mac"])
	if err != nil {
		return Settings{}, err
	}
	s := Settings{MAC: mac, Cipher: cfg["cipher"]}
	enc := cfg["encryption"]
	cipherKeys, pubKeys := splitKeyIDs(cfg["cipherkeys"]), splitKeyIDs(cfg["pubkeys"])
	switch {
	case s.Cipher != "" && len(cipherKeys) > 0:
		s.Scheme, s.KeyIDs = Hybrid, cipherKeys
		if enc == string(PubKey) {
			s.Scheme = PubKey
		}
	case s.Cipher != "" && len(pubKeys) > 0:
		s.Scheme, s.KeyIDs = SharedPubKey, pubKeys
	case s.Cipher != "":
		s.Scheme = Shared
	case enc == "" || enc == string(None):
		s.Scheme = None
	default:
		if s.Scheme, err = ParseScheme(enc); err != nil {
			return Settings{}, err
		}
	}
	return s, nil
}

func splitKeyIDs(v string) []string {
	var ids []string
	for _, id := range strings.Split(v, ",") {
		if id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// Fields returns the generated fields to store in remote.log: cipher=,
// and cipherkeys= or pubkeys= (empty for None).
func (s Settings) Fields() map[string]string {
	f := map[string]string{}
	if s.Scheme == None || s.Cipher == "" {
		return f
	}
	f["cipher"] = s.Cipher
	switch {
	case s.Scheme.cipherEncrypted():
		f["cipherkeys"] = strings.Join(s.KeyIDs, ",")
	case s.Scheme == SharedPubKey:
		f["pubkeys"] = strings.Join(s.KeyIDs, ",")
	}
	return f
}

// Description is git-annex's description of the cipher, as `info` and
// initremote show it: "encryption key stored in git repository" for
// shared, "to gpg keys: ID ..." for the others, "none" without encryption.
func (s Settings) Description() string {
	switch s.Scheme {
	case None:
		return "none"
	case Shared:
		return "encryption key stored in git repository"
	}
	return "to gpg keys: " + strings.Join(s.KeyIDs, " ")
}

// Generate makes a new cipher for scheme (not None) and the settings that
// store it. keyNames are the keyid= values (required, and resolved to long
// key ids through gpg, for every scheme but shared). For hybrid and pubkey
// the cipher is encrypted to those keys with gpg.
func Generate(ctx context.Context, scheme Scheme, mac MAC, keyNames []string, g *GPG) (*Crypter, error) {
	if scheme == None {
		return nil, errors.New("no cipher for encryption=none")
	}
	s := Settings{Scheme: scheme, MAC: mac}
	if scheme != Shared {
		if len(keyNames) == 0 {
			return nil, errors.New("Specify keyid=...") //nolint:staticcheck // git-annex's exact text
		}
		ids, err := resolveKeys(ctx, g, keyNames)
		if err != nil {
			return nil, err
		}
		s.KeyIDs = ids
	}
	c, err := GenerateCipher(scheme)
	if err != nil {
		return nil, err
	}
	if err := s.storeCipher(ctx, g, c); err != nil {
		return nil, err
	}
	return &Crypter{settings: s, cipher: c, gpg: g}, nil
}

// storeCipher sets s.Cipher from c, encrypting it to s.KeyIDs when the
// scheme keeps it encrypted.
func (s *Settings) storeCipher(ctx context.Context, g *GPG, c Cipher) error {
	if !s.Scheme.cipherEncrypted() {
		s.Cipher = base64.StdEncoding.EncodeToString(c.text)
		return nil
	}
	var msg bytes.Buffer
	if err := g.EncryptTo(ctx, &msg, bytes.NewReader(c.text), s.KeyIDs); err != nil {
		return fmt.Errorf("encrypting the cipher to %s: %w", strings.Join(s.KeyIDs, ","), err)
	}
	s.Cipher = base64.StdEncoding.EncodeToString(msg.Bytes())
	return nil
}

// resolveKeys resolves keyid= values to long key ids, sorted, without
// duplicates.
func resolveKeys(ctx context.Context, g *GPG, names []string) ([]string, error) {
	var ids []string
	for _, n := range names {
		got, err := g.KeyIDs(ctx, n)
		if err != nil {
			return nil, fmt.Errorf("looking up gpg key %q: %w", n, err)
		}
		ids = append(ids, got...)
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// Open makes the Crypter for stored settings, decrypting the cipher with
// the user's gpg for hybrid and pubkey (slow: open once per command). It
// fails with ErrNoCipher when there is none, and with an error wrapping
// ErrDecrypt when gpg cannot decrypt it (no secret key).
func Open(ctx context.Context, s Settings, g *GPG) (*Crypter, error) {
	if s.Scheme == None {
		return nil, errors.New("encryption=none has no cipher")
	}
	if s.Cipher == "" {
		return nil, fmt.Errorf("%w (encryption=%s)", ErrNoCipher, s.Scheme)
	}
	raw, err := base64.StdEncoding.DecodeString(s.Cipher)
	if err != nil {
		return nil, fmt.Errorf("cipher= is not base64: %w", err)
	}
	if s.Scheme.cipherEncrypted() {
		var text bytes.Buffer
		if err := g.Decrypt(ctx, &text, bytes.NewReader(raw)); err != nil {
			return nil, fmt.Errorf("decrypting the cipher (encrypted to gpg keys %s): %w", strings.Join(s.KeyIDs, ","), err)
		}
		raw = text.Bytes()
	}
	return &Crypter{settings: s, cipher: NewCipher(s.Scheme, raw), gpg: g}, nil
}
