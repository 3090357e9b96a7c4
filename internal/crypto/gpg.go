package crypto

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// GPG runs the user's gpg for the work that needs their keys. The zero
// value runs "gpg" from PATH with no extra options. A GPG is safe for
// concurrent use; each call starts its own process.
type GPG struct {
	// Program is the gpg to run (git config gpg.program); "" means "gpg".
	Program string
	// Options are added to every encrypting call
	// (remote.NAME.annex-gnupg-options, split on white space).
	Options []string
	// DecryptOptions are added to every decrypting call
	// (remote.NAME.annex-gnupg-decrypt-options).
	DecryptOptions []string
	// Env holds extra KEY=VALUE environment entries (GNUPGHOME, for
	// instance), added to this process's environment.
	Env []string
}

// ErrGPG is wrapped by every failure of the gpg program, with its stderr.
var ErrGPG = errors.New("gpg failed")

func (g *GPG) program() string {
	if g == nil || g.Program == "" {
		return "gpg"
	}
	return g.Program
}

// run runs gpg with args, feeding stdin and copying its output to stdout.
func (g *GPG) run(ctx context.Context, stdin io.Reader, stdout io.Writer, args ...string) error {
	cmd := exec.CommandContext(ctx, g.program(), args...)
	cmd.Stdin = stdin
	cmd.Stdout = stdout
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if g != nil && len(g.Env) > 0 {
		cmd.Env = append(os.Environ(), g.Env...)
	}
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		msg := strings.TrimSpace(stderr.String())
		return fmt.Errorf("%w: %s %s: %w: %s", ErrGPG, g.program(), strings.Join(args, " "), err, msg)
	}
	return nil
}

// commonArgs are the options git-annex passes to every gpg call.
var commonArgs = []string{"--quiet", "--trust-model", "always", "--batch"}

// EncryptTo encrypts src to the gpg keys keyIDs into dst as binary
// OpenPGP (git-annex's `--encrypt --no-encrypt-to --no-default-recipient
// --force-mdc --no-textmode`, plus Options).
func (g *GPG) EncryptTo(ctx context.Context, dst io.Writer, src io.Reader, keyIDs []string) error {
	if len(keyIDs) == 0 {
		return errors.New("gpg encryption: no recipient keys")
	}
	args := append([]string(nil), commonArgs...)
	for _, id := range keyIDs {
		args = append(args, "--recipient", id)
	}
	args = append(args, "--encrypt", "--no-encrypt-to", "--no-default-recipient", "--force-mdc", "--no-textmode")
	if g != nil {
		args = append(args, g.Options...)
	}
	return g.run(ctx, src, dst, args...)
}

// Decrypt decrypts a message encrypted to one of the user's keys from
// src into dst (`gpg --decrypt`, plus DecryptOptions). The error wraps
// ErrGPG, naming gpg's complaint (no secret key, for instance).
func (g *GPG) Decrypt(ctx context.Context, dst io.Writer, src io.Reader) error {
	args := append([]string(nil), commonArgs...)
	if g != nil {
		args = append(args, g.DecryptOptions...)
	}
	args = append(args, "--decrypt")
	if err := g.run(ctx, src, dst, args...); err != nil {
		return fmt.Errorf("%w: %w", ErrDecrypt, err)
	}
	return nil
}

// KeyIDs resolves a keyid= value (a key id, fingerprint, or user id) to
// the long key ids of the public keys it names, as git-annex does with
// `gpg --with-colons --list-public-keys`. It fails when gpg knows no such
// key.
func (g *GPG) KeyIDs(ctx context.Context, name string) ([]string, error) {
	var out bytes.Buffer
	args := append(append([]string(nil), commonArgs...), "--with-colons", "--list-public-keys", name)
	if err := g.run(ctx, nil, &out, args...); err != nil {
		return nil, err
	}
	ids := parseColonKeyIDs(out.String())
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: no public key matches %q", ErrGPG, name)
	}
	return ids, nil
}

// parseColonKeyIDs returns field 5 (the long key id) of each "pub" line
// of gpg's --with-colons listing.
func parseColonKeyIDs(listing string) []string {
	var ids []string
	for _, line := range strings.Split(listing, "\n") {
		f := strings.Split(line, ":")
		if len(f) > 4 && f[0] == "pub" && f[4] != "" {
			ids = append(ids, f[4])
		}
	}
	return ids
}
