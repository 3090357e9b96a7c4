package encrypted

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/troveproject/trove/internal/chunk"
	"github.com/troveproject/trove/internal/crypto"
	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
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
	return &Remote{base: r, host: p.Host, settings: s, gpg: GPGFor(p.Host, p.Name)}, nil
}

// Settings returns the remote's encryption settings.
func (r *Remote) Settings() crypto.Settings { return r.settings }

// Base returns the wrapped remote.
func (r *Remote) Base() remote.Remote { return r.base }

// Name implements remote.Remote.
func (r *Remote) Name() string { return r.base.Name() }

// Unwrap returns the remote the encrypted content is stored on.
func (r *Remote) Unwrap() remote.Remote { return r.base }

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
	c, err := Open(ctx, r.settings, r.gpg)
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

// Store implements remote.Remote: PrepareStore, then the send it
// returns.
func (r *Remote) Store(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	send, done, err := r.PrepareStore(ctx, k, src)
	if err != nil {
		return err
	}
	defer done()
	return send(ctx, m)
}

// PrepareStore implements chunked.Preparer: it encrypts src into a
// temporary file under the host's TmpDir (streaming). send stores that
// file on the base remote under the encrypted key, metering plaintext
// bytes (the base remote's count of ciphertext scaled to the content's
// size, so that progress ends at 100%); done removes the file. Several
// PrepareStore calls may run at once.
func (r *Remote) PrepareStore(ctx context.Context, k key.Key, src remote.Source) (send func(context.Context, progress.Meter) error, done func(), err error) {
	c, err := r.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	in, err := src.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("encrypting %s for %s: %w", k, r.Name(), err)
	}
	defer in.Close()
	tmp, err := os.CreateTemp(r.host.TmpDir(), "encrypt-*")
	if err != nil {
		return nil, nil, fmt.Errorf("encrypting %s for %s: %w", k, r.Name(), err)
	}
	done = func() { _ = os.Remove(tmp.Name()) }
	plain := &countingReader{r: fsutil.ContextReader(ctx, in)}
	out := bufio.NewWriterSize(tmp, 1<<20)
	err = c.Encrypt(ctx, out, plain)
	if err == nil {
		err = out.Flush()
	}
	var size int64
	if err == nil {
		size, err = tmp.Seek(0, io.SeekCurrent)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		done()
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, nil, fmt.Errorf("encrypting %s for %s: %w", k, r.Name(), err)
	}
	ek := c.EncryptKey(k)
	send = func(ctx context.Context, m progress.Meter) error {
		sm := &scaledMeter{m: m, plain: plain.n, cipher: size}
		return r.base.Store(ctx, ek, remote.Source{Path: tmp.Name(), Size: -1, File: src.File}, sm)
	}
	return send, done, nil
}

// Retrieve implements remote.Remote: the ciphertext the base remote sends
// is decrypted into dst as it arrives (no ciphertext is kept). A dst that
// holds part of the content is restarted first: plaintext cannot resume
// in the middle of a message. On any failure dst is restarted, so no
// unverified plaintext is left in it. The base remote's progress is
// scaled to the plaintext size.
func (r *Remote) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	c, err := r.open(ctx)
	if err != nil {
		return err
	}
	ek := c.EncryptKey(k)
	if dst.Offset() > 0 {
		if err := dst.Restart(); err != nil {
			return err
		}
	}
	plain := int64(-1)
	switch {
	case k.HasSize && k.IsChunk():
		plain = chunk.Len(k.Size, k.ChunkSize, k.ChunkNum)
	case k.HasSize:
		plain = k.Size
	}
	sink := newDecryptSink(ctx, c, dst, r.host.TmpDir())
	err = sink.finish(r.base.Retrieve(ctx, ek, sink, &scaledMeter{m: m, plain: plain}))
	if err == nil {
		return nil
	}
	if rerr := dst.Restart(); rerr != nil {
		err = errors.Join(err, rerr)
	}
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, crypto.ErrDecrypt):
		return fmt.Errorf("decrypting %s (stored as %s) from %s: %w", k, ek, r.Name(), err)
	}
	return err
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
