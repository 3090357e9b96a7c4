package annex

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"github.com/troveproject/trove/internal/crypto"
	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/encrypted"
)

// Creds implements remote.Host as git-annex's getRemoteCredPair: the local
// creds file first, then the creds embedded in remote.log, decrypted with
// the remote's cipher when it has one; embedded creds found are cached in
// the local file.
func (h *specialHost) Creds(ctx context.Context, setting string) (string, string, bool, error) {
	path := h.credsPath(setting)
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		login, password, err := crypto.DecodeCreds(string(data))
		if err != nil {
			return "", "", false, fmt.Errorf("credentials file %s is not \"login\\npassword\\n\"; remove it and run `git annex enableremote %s` with the credentials: %w", path, h.name, err)
		}
		return login, password, true, nil
	case !errors.Is(err, fs.ErrNotExist):
		return "", "", false, fmt.Errorf("read credentials of remote %s: %w", h.name, err)
	}
	h.mu.Lock()
	field := h.embedField(setting)
	v, ok := h.cfg[field]
	h.mu.Unlock()
	if !ok {
		return "", "", false, nil
	}
	c, err := h.crypter(ctx)
	if err != nil {
		return "", "", false, fmt.Errorf("remote %s: the credentials embedded in remote.log (%s=) are encrypted: %w", h.name, field, err)
	}
	login, password, err := crypto.ExtractCreds(ctx, c, v)
	if err != nil {
		return "", "", false, fmt.Errorf("remote %s: embedded credentials %s= in remote.log cannot be read (set them again with `git annex enableremote %s`): %w", h.name, field, h.name, err)
	}
	if err := h.writeCredsFile(path, login, password); err != nil {
		return "", "", false, err
	}
	return login, password, true, nil
}

// SetCreds implements remote.Host as git-annex's setRemoteCredPair: the
// creds go to .git/annex/creds/<uuid>[-setting] (mode 0600), and into
// remote.log when embedcreds applies (embedcreds=yes, or by default for
// ciphers encrypted to gpg keys), encrypted with the remote's cipher when
// it has one.
func (h *specialHost) SetCreds(ctx context.Context, setting, login, password string) error {
	if strings.Contains(login, "\n") || strings.Contains(password, "\n") {
		return fmt.Errorf("remote %s: credentials cannot contain a newline", h.name)
	}
	if err := h.writeCredsFile(h.credsPath(setting), login, password); err != nil {
		return err
	}
	h.mu.Lock()
	embed := embedCreds(h.cfg)
	h.mu.Unlock()
	if !embed {
		return nil
	}
	c, err := h.crypter(ctx)
	if err != nil {
		return fmt.Errorf("remote %s: embedding credentials in remote.log: %w", h.name, err)
	}
	v, err := crypto.EmbedCreds(ctx, c, login, password)
	if err != nil {
		return fmt.Errorf("remote %s: embedding credentials in remote.log: %w", h.name, err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	field := h.embedField(setting)
	h.cfg[field] = v
	if h.settingUp {
		// initremote/enableremote store the whole config when set up.
		if h.embedded == nil {
			h.embedded = map[string]string{}
		}
		h.embedded[field] = v
		return nil
	}
	return h.r.setRemoteConfig(ctx, h.configUUID, h.cfg)
}

// embeddedDuringSetup returns the creds fields SetCreds added while the
// remote was being set up, for the config initremote stores.
func (h *specialHost) embeddedDuringSetup() map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return maps.Clone(h.embedded)
}

// writeCredsFile caches credentials in path with mode 0600.
func (h *specialHost) writeCredsFile(path, login, password string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("store credentials of remote %s: %w", h.name, err)
	}
	if err := fsutil.WriteFileAtomic(path, []byte(crypto.EncodeCreds(login, password)), 0o600, filepath.Dir(path)); err != nil {
		return fmt.Errorf("store credentials of remote %s in %s: %w", h.name, path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("store credentials of remote %s in %s: %w", h.name, path, err)
	}
	return nil
}

// crypter returns the remote's opened cipher, nil when its config has
// none. Hybrid and pubkey ciphers are decrypted with gpg through
// encrypted.Open's process-wide cache, which the remote itself opens its
// cipher through, so gpg is asked once per command.
func (h *specialHost) crypter(ctx context.Context) (*crypto.Crypter, error) {
	h.mu.Lock()
	s, err := crypto.ParseSettings(h.cfg)
	h.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if s.Scheme == crypto.None || s.Cipher == "" {
		return nil, nil
	}
	return encrypted.Open(ctx, s, h.gpg())
}

// gpg is the gpg the remote uses (encrypted.GPGFor).
func (h *specialHost) gpg() *crypto.GPG { return encrypted.GPGFor(h, h.name) }

// credsPath is git-annex's cache file of a remote's credentials.
func (h *specialHost) credsPath(setting string) string {
	name := string(h.uuid)
	if setting != "" {
		name += "-" + strings.ReplaceAll(setting, "/", "_")
	}
	return filepath.Join(annexDir(h.r.git), "creds", name)
}

// embedField is the remote.log field embedded credentials go in: the
// setting's name, or for the main credentials the type's field.
func (h *specialHost) embedField(setting string) string {
	if setting != "" {
		return setting
	}
	switch h.cfg["type"] {
	case "S3":
		return "s3creds"
	case "webdav":
		return "davcreds"
	}
	return "creds"
}

// embedCreds is git-annex's rule for storing credentials in remote.log:
// embedcreds=yes/no decides; otherwise only gpg-keyed ciphers embed.
func embedCreds(cfg remote.Config) bool {
	switch cfg["embedcreds"] {
	case "yes":
		return true
	case "no":
		return false
	}
	_, hasCipher := cfg["cipher"]
	_, hasKeys := cfg["cipherkeys"]
	return hasCipher && hasKeys
}
