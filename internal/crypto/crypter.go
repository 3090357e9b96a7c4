package crypto

import (
	"context"
	"errors"
	"io"
	"slices"

	"github.com/troveproject/trove/internal/key"
)

// Crypter encrypts the content and key names of one remote with its
// decrypted cipher. It is safe for concurrent use.
type Crypter struct {
	settings Settings
	cipher   Cipher
	gpg      *GPG
}

// Settings returns the remote.log settings the Crypter was opened or
// generated with.
func (c *Crypter) Settings() Settings { return c.settings }

// Cipher returns the decrypted cipher.
func (c *Crypter) Cipher() Cipher { return c.cipher }

// EncryptKey returns the name k is stored under on the remote
// (GPGHMACSHA1--<hex>, see MAC.EncryptKey).
func (c *Crypter) EncryptKey(k key.Key) key.Key {
	return c.settings.MAC.EncryptKey(c.cipher.MACKey(), k)
}

// Encrypt encrypts src into dst as the remote stores content: in-process
// with the cipher's passphrase for shared and hybrid, with gpg to the
// remote's keys for pubkey and sharedpubkey.
func (c *Crypter) Encrypt(ctx context.Context, dst io.Writer, src io.Reader) error {
	if c.cipher.macOnly {
		return c.gpg.EncryptTo(ctx, dst, src, c.settings.KeyIDs)
	}
	return EncryptSymmetric(dst, src, c.cipher.Passphrase())
}

// Decrypt decrypts content the remote stored (by Trove or git-annex) from
// src into dst. On error dst may hold unverified plaintext, which the
// caller must discard; the error wraps ErrDecrypt.
func (c *Crypter) Decrypt(ctx context.Context, dst io.Writer, src io.Reader) error {
	if c.cipher.macOnly {
		return c.gpg.Decrypt(ctx, dst, src)
	}
	return DecryptSymmetric(dst, src, c.cipher.Passphrase())
}

// Rekey changes the gpg keys of a hybrid, pubkey or sharedpubkey remote
// (enableremote keyid+= / keyid-=): add and remove are keyid= values,
// resolved through gpg. The cipher itself is unchanged (so are key
// names); for hybrid and pubkey it is re-encrypted to the new keys. With
// nothing to change the settings are returned as they are. Removing every
// key fails with git-annex's "Cannot remove the last key.".
func (c *Crypter) Rekey(ctx context.Context, add, remove []string) (Settings, error) {
	s := c.settings
	if len(add) == 0 && len(remove) == 0 {
		return s, nil
	}
	if s.Scheme == Shared || s.Scheme == None {
		return s, nil // git-annex ignores keyid+/- for shared remotes
	}
	added, err := resolveKeys(ctx, c.gpg, add)
	if err != nil {
		return s, err
	}
	removed, err := resolveKeys(ctx, c.gpg, remove)
	if err != nil {
		return s, err
	}
	ids := append(slices.Clone(s.KeyIDs), added...)
	ids = slices.DeleteFunc(ids, func(id string) bool { return slices.Contains(removed, id) })
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return s, errors.New("Cannot remove the last key.") //nolint:staticcheck // git-annex's exact text
	}
	s.KeyIDs = ids
	if err := s.storeCipher(ctx, c.gpg, c.cipher); err != nil {
		return c.settings, err
	}
	return s, nil
}
