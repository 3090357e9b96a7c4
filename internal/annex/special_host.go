package annex

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

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

	// settingUp is set while initremote or enableremote runs the type's
	// Setup: SetCreds then adds to embedded instead of writing remote.log.
	settingUp bool
	embedded  map[string]string
}

var _ remote.MetaDataHost = (*specialHost)(nil)

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

// RemoteMetaData implements remote.MetaDataHost: the values set in the
// remote's field of k's .log.rmet.
func (h *specialHost) RemoteMetaData(ctx context.Context, k key.Key, field string) ([]string, error) {
	p := logs.KeyLogPath(k, h.r.cfg.BranchHash1, logs.RemoteMetaDataExt)
	data, err := h.r.branch.Get(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("read %s from the git-annex branch: %w", p, err)
	}
	return logs.CurrentMetaData(logs.ParseMetaLog(data)).Values(string(h.uuid) + ":" + field), nil
}

// SetRemoteMetaData implements remote.MetaDataHost, through the journal.
func (h *specialHost) SetRemoteMetaData(ctx context.Context, k key.Key, field, value string, set bool) error {
	p := logs.KeyLogPath(k, h.r.cfg.BranchHash1, logs.RemoteMetaDataExt)
	md := logs.MetaData{{Name: string(h.uuid) + ":" + field, Values: []logs.MetaValue{{Value: value, Set: set}}}}
	now := h.r.now()
	return h.r.changeBranch(ctx, p, func(old []byte) []byte { return logs.AddMetaData(old, md, now) })
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

// URLs implements remote.Host: the temporary URL addurl set for k first,
// then k's url log, as git-annex's getUrls.
func (h *specialHost) URLs(ctx context.Context, k key.Key, prefix string) ([]string, error) {
	all, err := h.r.URLs(ctx, k)
	if err != nil {
		return nil, fmt.Errorf("read the url log of %s: %w", k, err)
	}
	if u, ok := h.r.tempURL(k); ok {
		all = append([]string{u}, all...)
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

// Warn implements remote.Host.
func (h *specialHost) Warn(msg string) { h.r.remoteMessage(true, msg) }

// Info implements remote.Host.
func (h *specialHost) Info(msg string) { h.r.remoteMessage(false, msg) }

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
