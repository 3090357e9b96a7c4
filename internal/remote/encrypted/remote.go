package encrypted

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/troveproject/trove/internal/crypto"
	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/keylock"
	"github.com/troveproject/trove/internal/uuid"
)

// Remote stores content in its base remote encrypted, under encrypted key
// names. It is safe for concurrent use. The cipher is opened (decrypted
// with gpg for hybrid and pubkey) on the first operation, once per
// process.
type Remote struct {
	base     remote.Remote
	host     remote.Host
	settings crypto.Settings
	gpg      *crypto.GPG

	mu      sync.Mutex
	crypter *crypto.Crypter

	keys keylock.Set // retrievals of one key share the ciphertext temporary file
}

// Wrap returns r itself when p.Config asks for no encryption (encryption=
// none or unset, and no cipher=), else r behind encryption. It fails when
// the config names a scheme but has no cipher (the remote was not set up
// with Setup) or has a bad mac=. It does not run gpg: the cipher is
// opened on first use. p.Host must be set for an encrypted remote (its
// TmpDir holds the ciphertext during transfers).
func Wrap(r remote.Remote, p remote.Params) (remote.Remote, error) {
	s, err := crypto.ParseSettings(p.Config)
	if err != nil {
		return nil, fmt.Errorf("remote %s: %w", p.Name, err)
	}
	if s.Scheme == crypto.None {
		return r, nil
	}
	if s.Cipher == "" {
		return nil, fmt.Errorf("remote %s: %w (encryption=%s); set it up again with `git annex enableremote %s`",
			p.Name, crypto.ErrNoCipher, s.Scheme, p.Name)
	}
	if p.Host == nil {
		return nil, fmt.Errorf("remote %s: an encrypted remote needs a host for its temporary files", p.Name)
	}
	return &Remote{base: r, host: p.Host, settings: s, gpg: gpgFor(p.Host, p.Name)}, nil
}

// Settings returns the remote's encryption settings.
func (r *Remote) Settings() crypto.Settings { return r.settings }

// Base returns the wrapped remote.
func (r *Remote) Base() remote.Remote { return r.base }

// Name implements remote.Remote.
func (r *Remote) Name() string { return r.base.Name() }

// UUID implements remote.Remote.
func (r *Remote) UUID() uuid.UUID { return r.base.UUID() }

// Cost implements remote.Remote: the base remote's cost (the caller adds
// git-annex's +50 for encryption when it computes Params.Cost).
func (r *Remote) Cost() float64 { return r.base.Cost() }

// open returns the remote's Crypter, opening the cipher on first use.
func (r *Remote) open(ctx context.Context) (*crypto.Crypter, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.crypter != nil {
		return r.crypter, nil
	}
	c, err := open(ctx, r.settings, r.gpg)
	if err != nil {
		return nil, remote.Permanent(fmt.Errorf("remote %s: %w", r.Name(), err))
	}
	r.crypter = c
	return c, nil
}

// EncryptedKey returns the name k is stored under on the base remote.
func (r *Remote) EncryptedKey(ctx context.Context, k key.Key) (key.Key, error) {
	c, err := r.open(ctx)
	if err != nil {
		return key.Key{}, err
	}
	return c.EncryptKey(k), nil
}

// Store implements remote.Remote: it encrypts src into a temporary file
// under the host's TmpDir (streaming), stores that under the encrypted
// key, and removes it.
func (r *Remote) Store(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	c, err := r.open(ctx)
	if err != nil {
		return err
	}
	in, err := src.Open()
	if err != nil {
		return fmt.Errorf("encrypting %s for %s: %w", k, r.Name(), err)
	}
	defer in.Close()
	tmp, err := os.CreateTemp(r.host.TmpDir(), "encrypt-*")
	if err != nil {
		return fmt.Errorf("encrypting %s for %s: %w", k, r.Name(), err)
	}
	defer os.Remove(tmp.Name())
	err = c.Encrypt(ctx, tmp, fsutil.ContextReader(ctx, in))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("encrypting %s for %s: %w", k, r.Name(), err)
	}
	return r.base.Store(ctx, c.EncryptKey(k), remote.Source{Path: tmp.Name(), Size: -1, File: src.File}, m)
}

// Retrieve implements remote.Remote: it retrieves the ciphertext into a
// temporary file (kept when the transfer is interrupted, so the next
// attempt resumes it) and decrypts it into dst from the start. On a
// decryption failure dst is emptied and the ciphertext discarded.
func (r *Remote) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	c, err := r.open(ctx)
	if err != nil {
		return err
	}
	ek := c.EncryptKey(k)
	unlock := r.keys.Lock(ek)
	defer unlock()
	path := filepath.Join(r.host.TmpDir(), "decrypt-"+ek.File())
	sink, err := openFileSink(path)
	if err != nil {
		return err
	}
	err = r.base.Retrieve(ctx, ek, sink, m)
	if cerr := sink.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if errors.Is(err, remote.ErrNotPresent) {
			_ = os.Remove(path)
		}
		return err
	}
	defer os.Remove(path)
	if dst.Offset() > 0 {
		if err := dst.Restart(); err != nil {
			return err
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("decrypting %s from %s: %w", k, r.Name(), err)
	}
	defer f.Close()
	if err := c.Decrypt(ctx, dst, fsutil.ContextReader(ctx, f)); err != nil {
		if rerr := dst.Restart(); rerr != nil {
			return errors.Join(err, rerr)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("decrypting %s (stored as %s) from %s: %w", k, ek, r.Name(), err)
	}
	return nil
}

// CheckPresent implements remote.Remote for the encrypted key.
func (r *Remote) CheckPresent(ctx context.Context, k key.Key) (bool, error) {
	c, err := r.open(ctx)
	if err != nil {
		return false, err
	}
	return r.base.CheckPresent(ctx, c.EncryptKey(k))
}

// Remove implements remote.Remote for the encrypted key.
func (r *Remote) Remove(ctx context.Context, k key.Key) error {
	c, err := r.open(ctx)
	if err != nil {
		return err
	}
	return r.base.Remove(ctx, c.EncryptKey(k))
}

// Availability implements remote.Availabler as the base remote does
// (GloballyAvailable when it does not say).
func (r *Remote) Availability() remote.Availability {
	if a, ok := r.base.(remote.Availabler); ok {
		return a.Availability()
	}
	return remote.GloballyAvailable
}

// Type implements remote.InfoReporter: the base remote's type, or "".
func (r *Remote) Type() string {
	if i, ok := r.base.(remote.InfoReporter); ok {
		return i.Type()
	}
	return ""
}

// Info implements remote.InfoReporter: the base remote's fields.
func (r *Remote) Info() []remote.InfoField {
	if i, ok := r.base.(remote.InfoReporter); ok {
		return i.Info()
	}
	return nil
}

// Close implements remote.Closer, closing the base remote when it holds
// resources.
func (r *Remote) Close(ctx context.Context) error {
	if c, ok := r.base.(remote.Closer); ok {
		return c.Close(ctx)
	}
	return nil
}

var (
	_ remote.Remote       = (*Remote)(nil)
	_ remote.Availabler   = (*Remote)(nil)
	_ remote.InfoReporter = (*Remote)(nil)
	_ remote.Closer       = (*Remote)(nil)
)
