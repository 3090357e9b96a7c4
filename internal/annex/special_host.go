package annex

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// specialHost is the repository as one special remote sees it
// (remote.Host). Branch changes go through the journal like the location
// log's, and are committed with the command's other changes.
type specialHost struct {
	r          *Repo
	name       string
	uuid       uuid.UUID // data UUID: per-key logs use it
	configUUID uuid.UUID // remote.log key

	mu  sync.Mutex
	cfg remote.Config // remote.log entry; SetCreds may add embedded creds
}

var _ remote.Host = (*specialHost)(nil)

func (r *Repo) newSpecialHost(name string, u, cu uuid.UUID, cfg remote.Config) *specialHost {
	c := remote.Config{}
	for k, v := range cfg {
		c[k] = v
	}
	return &specialHost{r: r, name: name, uuid: u, configUUID: cu, cfg: c}
}

// SetRemoteMessages directs what special remotes say to the user (Host's
// Warn and Info) to fn, which must be safe for concurrent use. Without
// it, both kinds are collected with the warnings Warnings returns.
func (r *Repo) SetRemoteMessages(fn func(warning bool, msg string)) {
	r.remotes.mu.Lock()
	defer r.remotes.mu.Unlock()
	r.remotes.messages = fn
}

// remoteMessage shows msg from a special remote.
func (r *Repo) remoteMessage(warning bool, msg string) {
	r.remotes.mu.Lock()
	fn := r.remotes.messages
	r.remotes.mu.Unlock()
	if fn != nil {
		fn(warning, msg)
		return
	}
	r.warn("%s", msg)
}

// RepoUUID implements remote.Host.
func (h *specialHost) RepoUUID() uuid.UUID { return h.r.here }

// TmpDir implements remote.Host: .git/annex/tmp, created when missing.
func (h *specialHost) TmpDir() string {
	dir := filepath.Join(annexDir(h.r.git), "tmp")
	_ = os.MkdirAll(dir, 0o755) // a failure shows when the remote uses it
	return dir
}

// GitConfig implements remote.Host.
func (h *specialHost) GitConfig(name string) (string, bool) { return h.r.cfg.Git().Get(name) }

// State implements remote.Host: the remote's field of k's .log.rmt.
func (h *specialHost) State(ctx context.Context, k key.Key) (string, error) {
	p := logs.KeyLogPath(k, h.r.cfg.BranchHash1, logs.RemoteStateExt)
	data, err := h.r.branch.Get(ctx, p)
	if err != nil {
		return "", fmt.Errorf("read %s from the git-annex branch: %w", p, err)
	}
	return logs.ParseMapLog(data)[string(h.uuid)].Value, nil
}

// SetState implements remote.Host.
func (h *specialHost) SetState(ctx context.Context, k key.Key, value string) error {
	if strings.ContainsAny(value, "\r\n") {
		return fmt.Errorf("remote %s: state for %s cannot contain a newline", h.name, k)
	}
	p := logs.KeyLogPath(k, h.r.cfg.BranchHash1, logs.RemoteStateExt)
	now := h.r.now()
	return h.r.changeBranch(ctx, p, func(old []byte) []byte {
		return logs.SetMapLog(old, string(h.uuid), value, now)
	})
}

// URLs implements remote.Host.
func (h *specialHost) URLs(ctx context.Context, k key.Key, prefix string) ([]string, error) {
	all, err := h.r.URLs(ctx, k)
	if err != nil {
		return nil, fmt.Errorf("read the url log of %s: %w", k, err)
	}
	var out []string
	for _, u := range all {
		if strings.HasPrefix(u, prefix) {
			out = append(out, u)
		}
	}
	return out, nil
}

// SetURLPresent implements remote.Host.
func (h *specialHost) SetURLPresent(ctx context.Context, k key.Key, url string) error {
	return h.r.SetURLPresent(ctx, k, url)
}

// SetURLMissing implements remote.Host.
func (h *specialHost) SetURLMissing(ctx context.Context, k key.Key, url string) error {
	return h.r.SetURLMissing(ctx, k, url)
}

// ChunkCounts implements remote.Host.
func (h *specialHost) ChunkCounts(ctx context.Context, k key.Key) (map[int64]int64, error) {
	p := logs.KeyLogPath(k, h.r.cfg.BranchHash1, logs.ChunkExt)
	data, err := h.r.branch.Get(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("read %s from the git-annex branch: %w", p, err)
	}
	out := map[int64]int64{}
	for f, e := range logs.ParseChunkLog(data) {
		if f.UUID == h.uuid && !f.Unknown {
			out[f.Size] = e.Value
		}
	}
	return out, nil
}

// SetChunkCount implements remote.Host.
func (h *specialHost) SetChunkCount(ctx context.Context, k key.Key, chunkSize, count int64) error {
	p := logs.KeyLogPath(k, h.r.cfg.BranchHash1, logs.ChunkExt)
	now := h.r.now()
	return h.r.changeBranch(ctx, p, func(old []byte) []byte {
		return logs.SetChunkCount(old, h.uuid, chunkSize, count, now)
	})
}

// Creds implements remote.Host: the local creds file first, then creds
// embedded in remote.log (plain base64 only; see embedField).
func (h *specialHost) Creds(ctx context.Context, setting string) (string, string, bool, error) {
	path := h.credsPath(setting)
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		login, password, ok := decodeCredPair(data)
		if !ok {
			return "", "", false, fmt.Errorf("credentials file %s is not \"login\\npassword\\n\"; remove it and run `git annex enableremote %s` with the credentials", path, h.name)
		}
		return login, password, true, nil
	case !errors.Is(err, fs.ErrNotExist):
		return "", "", false, fmt.Errorf("read credentials of remote %s: %w", h.name, err)
	}
	h.mu.Lock()
	field := h.embedField(setting)
	v, ok := h.cfg[field]
	cfg := h.cfg
	h.mu.Unlock()
	if !ok {
		return "", "", false, nil
	}
	if isEncrypted(cfg) {
		return "", "", false, fmt.Errorf("remote %s: the credentials embedded in remote.log (%s=) are encrypted, which this version of Trove cannot decrypt yet; store them locally with `git annex enableremote %s` and the credentials in the environment: %w", h.name, field, h.name, ErrStackUnsupported)
	}
	plain, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return "", "", false, fmt.Errorf("remote %s: embedded credentials %s= are not base64: %w", h.name, field, err)
	}
	login, password, ok := decodeCredPair(plain)
	if !ok {
		return "", "", false, fmt.Errorf("remote %s: embedded credentials %s= are malformed", h.name, field)
	}
	return login, password, true, nil
}

// SetCreds implements remote.Host: the creds go to
// .git/annex/creds/<uuid>[-setting] (mode 0600), and into remote.log when
// embedcreds=yes (encrypted embedding is refused until this build has
// encryption).
func (h *specialHost) SetCreds(ctx context.Context, setting, login, password string) error {
	if strings.Contains(login, "\n") || strings.Contains(password, "\n") {
		return fmt.Errorf("remote %s: credentials cannot contain a newline", h.name)
	}
	pair := []byte(login + "\n" + password + "\n")
	path := h.credsPath(setting)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("store credentials of remote %s: %w", h.name, err)
	}
	if err := fsutil.WriteFileAtomic(path, pair, 0o600, filepath.Dir(path)); err != nil {
		return fmt.Errorf("store credentials of remote %s in %s: %w", h.name, path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("store credentials of remote %s in %s: %w", h.name, path, err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !embedCreds(h.cfg) {
		return nil
	}
	if isEncrypted(h.cfg) {
		return fmt.Errorf("remote %s: embedding credentials encrypted in remote.log needs encryption support this version of Trove lacks yet; they are stored in %s only: %w", h.name, path, ErrStackUnsupported)
	}
	h.cfg[h.embedField(setting)] = base64.StdEncoding.EncodeToString(pair)
	return h.r.setRemoteConfig(ctx, h.configUUID, h.cfg)
}

// Warn implements remote.Host.
func (h *specialHost) Warn(msg string) { h.r.remoteMessage(true, msg) }

// Info implements remote.Host.
func (h *specialHost) Info(msg string) { h.r.remoteMessage(false, msg) }

// credsPath is git-annex's cache file of a remote's credentials.
func (h *specialHost) credsPath(setting string) string {
	name := string(h.uuid)
	if setting != "" {
		name += "-" + setting
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

// decodeCredPair parses "login\npassword\n" (the final newline optional).
func decodeCredPair(b []byte) (login, password string, ok bool) {
	login, rest, ok := strings.Cut(string(b), "\n")
	if !ok {
		return "", "", false
	}
	return login, strings.TrimSuffix(rest, "\n"), true
}

// SetURLPresent records that k can be downloaded from url: a line in its
// url log and, for URLs the web remote downloads (no ":" downloader
// prefix), the web in its location log, as git-annex's setUrlPresent.
func (r *Repo) SetURLPresent(ctx context.Context, k key.Key, url string) error {
	urls, err := r.URLs(ctx, k)
	if err != nil {
		return fmt.Errorf("read the url log of %s: %w", k, err)
	}
	for _, u := range urls {
		if u == url {
			return nil
		}
	}
	now := r.now()
	if err := r.changeBranch(ctx, logs.KeyLogPath(k, r.cfg.BranchHash1, logs.URLExt), func(old []byte) []byte {
		return logs.AddURL(old, url, logs.Present, now)
	}); err != nil {
		return err
	}
	if strings.HasPrefix(url, ":") {
		return nil
	}
	return r.logLocation(ctx, k, uuid.Web, logs.Present)
}

// SetURLMissing records that k can no longer be downloaded from url, and
// that the web no longer has k when no web URL is left, as git-annex's
// setUrlMissing.
func (r *Repo) SetURLMissing(ctx context.Context, k key.Key, url string) error {
	urls, err := r.URLs(ctx, k)
	if err != nil {
		return fmt.Errorf("read the url log of %s: %w", k, err)
	}
	known, webLeft := false, false
	for _, u := range urls {
		if u == url {
			known = true
		} else if !strings.HasPrefix(u, ":") {
			webLeft = true
		}
	}
	if !known {
		return nil
	}
	now := r.now()
	if err := r.changeBranch(ctx, logs.KeyLogPath(k, r.cfg.BranchHash1, logs.URLExt), func(old []byte) []byte {
		return logs.AddURL(old, url, logs.Missing, now)
	}); err != nil {
		return err
	}
	if strings.HasPrefix(url, ":") || webLeft {
		return nil
	}
	return r.logLocation(ctx, k, uuid.Web, logs.Missing)
}
