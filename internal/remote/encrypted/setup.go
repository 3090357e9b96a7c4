package encrypted

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/troveproject/trove/internal/crypto"
	"github.com/troveproject/trove/internal/remote"
)

// transient are settings used by Setup and never stored in remote.log once
// encryption is set up.
var transient = []string{"keyid", "keyid+", "keyid-", "highRandomQuality"}

// ErrCannotChange is git-annex's refusal to change the scheme of a remote
// that already has a cipher.
var ErrCannotChange = errors.New("Cannot set encryption type of existing remotes.") //nolint:staticcheck // git-annex's exact text

// Setup validates and completes the encryption settings of cfg (the
// remote's config with the command line's k=v merged in) and returns the
// config to store. It does not modify cfg.
//
//   - At Init, encryption= is mandatory (none, shared, hybrid, pubkey,
//     sharedpubkey), except that keyid= alone implies hybrid (and then,
//     as with git-annex, encryption= is not stored); a missing or unknown
//     value fails with git-annex's "Specify encryption=hybrid or ...".
//     For every scheme but none a cipher is generated (cipher=, and
//     cipherkeys= or pubkeys=) and keyid/keyid+/keyid-/highRandomQuality
//     are removed; hybrid, pubkey and sharedpubkey need keyid=
//     ("Specify keyid=...").
//   - mac= must be one git-annex knows ("bad mac value").
//   - When cfg already holds a cipher (Enable, Reconfigure), a different
//     encryption= fails with ErrCannotChange; keyid+= and keyid-=
//     re-encrypt the cipher to the new key list (decrypting it needs the
//     user's secret key); "Cannot remove the last key." when none would
//     remain.
//   - encryption=none (or, at Enable and Reconfigure, no encryption at
//     all) returns cfg unchanged.
func Setup(ctx context.Context, mode remote.SetupMode, cfg remote.Config, h remote.Host) (remote.Config, error) {
	return SetupWithNotes(ctx, mode, cfg, h, nil)
}

// SetupWithNotes is Setup, telling note (when not nil) what it does as
// git-annex shows it: "encryption setup" before a cipher is generated, or
// "encryption update" before a gpg-keyed cipher is kept or re-encrypted,
// then the resulting cipher's description (crypto.Settings.Description).
// Nothing is noted when no cipher is involved (encryption=none, a shared
// cipher kept, a bad mac= or encryption=).
func SetupWithNotes(ctx context.Context, mode remote.SetupMode, cfg remote.Config, h remote.Host, note func(string)) (remote.Config, error) {
	if note == nil {
		note = func(string) {}
	}
	out := maps.Clone(cfg)
	if out == nil {
		out = remote.Config{}
	}
	mac, err := crypto.ParseMAC(cfg["mac"])
	if err != nil {
		return nil, err
	}
	g := GPGFor(h, configName(cfg))
	if cfg["cipher"] != "" {
		return updateCipher(ctx, out, g, note)
	}
	enc, hasEnc := cfg["encryption"]
	var scheme crypto.Scheme
	switch {
	case !hasEnc && (cfg["keyid"] != "" || cfg["keyid+"] != ""):
		scheme = crypto.Hybrid
	case !hasEnc && mode != remote.Init:
		return out, nil
	default:
		if scheme, err = crypto.ParseScheme(enc); err != nil {
			return nil, err
		}
	}
	if scheme == crypto.None {
		return out, nil
	}
	var keys []string
	for _, f := range []string{"keyid", "keyid+"} {
		if v := cfg[f]; v != "" {
			keys = append(keys, v)
		}
	}
	note("encryption setup")
	c, err := crypto.Generate(ctx, scheme, mac, keys, g)
	if err != nil {
		return nil, fmt.Errorf("encryption setup: %w", err)
	}
	maps.Copy(out, c.Settings().Fields())
	note(c.Settings().Description())
	for _, f := range transient {
		delete(out, f)
	}
	return out, nil
}

// updateCipher handles a config that already has a cipher; a gpg-keyed
// one is noted as an "encryption update".
func updateCipher(ctx context.Context, out remote.Config, g *crypto.GPG, note func(string)) (remote.Config, error) {
	s, err := crypto.ParseSettings(out)
	if err != nil {
		return nil, err
	}
	keyed := s.Scheme != crypto.Shared
	if keyed {
		note("encryption update")
	}
	if enc, ok := out["encryption"]; ok && enc != string(s.Scheme) {
		return nil, ErrCannotChange
	}
	var add, remove []string
	if v := out["keyid+"]; v != "" {
		add = append(add, v)
	}
	if v := out["keyid-"]; v != "" {
		remove = append(remove, v)
	}
	if len(add)+len(remove) > 0 && keyed {
		c, err := Open(ctx, s, g)
		if err != nil {
			return nil, fmt.Errorf("encryption update: %w", err)
		}
		if s, err = c.Rekey(ctx, add, remove); err != nil {
			return nil, err
		}
		maps.Copy(out, s.Fields())
	}
	if keyed {
		note(s.Description())
	}
	for _, f := range transient {
		delete(out, f)
	}
	return out, nil
}

// configName is the remote's name in its config (sameas remotes have
// sameas-name instead of name).
func configName(cfg remote.Config) string {
	if n := cfg["name"]; n != "" {
		return n
	}
	return cfg["sameas-name"]
}
