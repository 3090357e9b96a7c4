package annex

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/troveproject/trove/internal/chunk"
	"github.com/troveproject/trove/internal/config"
	"github.com/troveproject/trove/internal/crypto"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/all"
	"github.com/troveproject/trove/internal/remote/chunked"
	"github.com/troveproject/trove/internal/remote/encrypted"
	"github.com/troveproject/trove/internal/uuid"
)

// encryptedCostAdj is what git-annex adds to the cost of an encrypted
// special remote (Config/Cost.hs encryptedRemoteCostAdj).
const encryptedCostAdj = 50.0

// sameasInherited are the remote.log fields a --sameas remote takes from
// the remote it shares data with (Annex/SpecialRemote/Config.hs).
var sameasInherited = []string{"encryption", "mac", "cipher", "cipherkeys", "pubkeys", "chunksize"}

// SpecialRemote is one special remote recorded in remote.log.
type SpecialRemote struct {
	// ConfigUUID keys the remote.log entry; it differs from UUID only for
	// --sameas remotes.
	ConfigUUID uuid.UUID
	// UUID is the data UUID that location logs use.
	UUID uuid.UUID
	// Name is name= (or sameas-name=).
	Name string
	// Type is type=.
	Type string
	// Config is the remote.log entry as stored (without inherited fields).
	Config remote.Config
	// Enabled names the git remote configured for it here, "" when none.
	Enabled string
}

// SpecialRemotes returns every special remote of remote.log, sorted by
// config UUID (git-annex's order when it lists them). It reads the branch and never contacts a remote.
func (r *Repo) SpecialRemotes(ctx context.Context) ([]SpecialRemote, error) {
	entries, err := r.remoteLog(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]SpecialRemote, 0, len(entries))
	for cu, e := range entries {
		out = append(out, r.specialRemote(cu, remote.Config(e.Value)))
	}
	slices.SortFunc(out, func(a, b SpecialRemote) int {
		return strings.Compare(string(a.ConfigUUID), string(b.ConfigUUID))
	})
	return out, nil
}

func (r *Repo) specialRemote(cu uuid.UUID, cfg remote.Config) SpecialRemote {
	sr := SpecialRemote{ConfigUUID: cu, UUID: cu, Name: cfg["name"], Type: cfg["type"], Config: cfg}
	if su, ok := cfg["sameas-uuid"]; ok {
		sr.UUID = uuid.UUID(su)
		sr.Name = cfg["sameas-name"]
	}
	for _, rem := range r.cfg.Remotes {
		if rem.URL == "" && configUUIDOf(r.cfg, rem) == cu {
			sr.Enabled = rem.Name
		}
	}
	return sr
}

// configUUIDOf is the remote.log key of a configured remote:
// annex-config-uuid for --sameas remotes, else annex-uuid.
func configUUIDOf(c *config.Config, rem config.Remote) uuid.UUID {
	if v, ok := c.RemoteSetting(rem.Name, "config-uuid"); ok && v != "" {
		return uuid.UUID(v)
	}
	return rem.UUID
}

// remoteLog reads remote.log.
func (r *Repo) remoteLog(ctx context.Context) (map[uuid.UUID]logs.Entry[logs.RemoteConfig], error) {
	data, err := r.branch.Get(ctx, logs.RemoteLog)
	if err != nil {
		return nil, fmt.Errorf("read %s from the git-annex branch: %w", logs.RemoteLog, err)
	}
	return logs.ParseRemoteLog(data), nil
}

// setRemoteConfig records cfg as the remote.log entry of cu.
func (r *Repo) setRemoteConfig(ctx context.Context, cu uuid.UUID, cfg remote.Config) error {
	now := r.now()
	return r.changeBranch(ctx, logs.RemoteLog, func(old []byte) []byte {
		return logs.SetRemoteConfig(old, cu, logs.RemoteConfig(cfg), now)
	})
}

// withInherited returns cfg with the encryption fields of the remote it
// is the --sameas of, as git-annex gives them to the remote's type.
func withInherited(cfg remote.Config, entries map[uuid.UUID]logs.Entry[logs.RemoteConfig]) remote.Config {
	su, ok := cfg["sameas-uuid"]
	if !ok {
		return cfg
	}
	out := remote.Config{}
	for k, v := range cfg {
		out[k] = v
	}
	parent := entries[uuid.UUID(su)].Value
	for _, f := range sameasInherited {
		delete(out, f)
		if v, ok := parent[f]; ok {
			out[f] = v
		}
	}
	return out
}

// registry returns the remote types this repository opens special remotes
// with.
func (r *Repo) registry() *remote.Registry {
	r.remotes.regOnce.Do(func() {
		if r.remotes.registry == nil {
			r.remotes.registry = all.Registry()
		}
	})
	return r.remotes.registry
}

// openSpecial opens the special remote rem (a configured remote without a
// URL) from its remote.log entry, stacked with the chunking and encryption
// its config asks for.
func (r *Repo) openSpecial(ctx context.Context, rem config.Remote, entries map[uuid.UUID]logs.Entry[logs.RemoteConfig]) (remote.Remote, error) {
	cu := configUUIDOf(r.cfg, rem)
	e, ok := entries[cu]
	if !ok {
		return nil, fmt.Errorf("remote.log in the git-annex branch has no configuration for %s (uuid %s); fetch it with `git annex sync`, or re-create the remote with `git annex initremote`", rem.Name, cu)
	}
	cfg := withInherited(remote.Config(e.Value), entries)
	t, err := r.registry().Lookup(cfg["type"])
	if err != nil {
		return nil, err
	}
	cost := specialCost(t.DefaultCost, cfg, rem)
	h := r.newSpecialHost(rem.Name, rem.UUID, cu, cfg)
	p := remote.Params{Name: rem.Name, UUID: rem.UUID, Config: cfg, Cost: cost, Host: h}
	base, err := t.New(ctx, p)
	if err != nil {
		return nil, err
	}
	stacked, err := stack(base, p)
	if err != nil {
		return nil, err
	}
	return &specialRemote{Remote: stacked, base: base, name: rem.Name, uuid: rem.UUID, cost: cost, readOnly: rem.ReadOnly, typ: t.Name, cfg: cfg}, nil
}

// specialCost is a special remote's cost as git-annex computes it:
// annex-cost, else cost= of remote.log, else the type's default; plus
// encryptedCostAdj when encrypted.
func specialCost(def float64, cfg remote.Config, rem config.Remote) float64 {
	cost := def
	if v, ok := cfg["cost"]; ok {
		if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			cost = f
		}
	}
	if rem.HasCost {
		cost = rem.Cost
	}
	if isEncrypted(cfg) {
		cost += encryptedCostAdj
	}
	return cost
}

// specialListCost is the cost of the special remote rem without opening
// it (for list's column order), from remote.log's entries; unknown types
// count as expensive.
func (r *Repo) specialListCost(rem config.Remote, entries map[uuid.UUID]logs.Entry[logs.RemoteConfig]) float64 {
	cfg := withInherited(remote.Config(entries[configUUIDOf(r.cfg, rem)].Value), entries)
	def := remote.ExpensiveCost
	if t, err := r.registry().Lookup(cfg["type"]); err == nil {
		def = t.DefaultCost
	}
	return specialCost(def, cfg, rem)
}

// ErrStackUnsupported is wrapped when a special remote's config asks for
// a layer this build cannot provide: the legacy chunksize= layout.
var ErrStackUnsupported = errors.New("special remote layer not supported")

// stack wraps base with the decorators p.Config asks for, as git-annex
// does: chunking over encryption, so content is split into chunk keys
// first and each chunk is then encrypted under its own HMAC'd key name.
// Each decorator returns its remote unchanged when the config asks for
// nothing. Legacy chunksize= remotes are refused.
func stack(base remote.Remote, p remote.Params) (remote.Remote, error) {
	if err := checkChunkLayer(p.Name, p.Config); err != nil {
		return nil, err
	}
	enc, err := encrypted.Wrap(base, p)
	if err != nil {
		return nil, err
	}
	return chunked.Wrap(enc, p)
}

// checkChunkLayer refuses the legacy chunksize= layout, which no remote
// type of this build implements, before anything is recorded or stored.
func checkChunkLayer(name string, cfg remote.Config) error {
	c, err := chunk.ParseConfig(cfg)
	if err != nil || c.Kind != chunk.Legacy {
		return nil // a bad chunk= is reported when the remote is used, as git-annex does
	}
	return fmt.Errorf("%s stores content in old-style chunks (chunksize=%s), which this version of Trove cannot read or write (use git-annex for it, or a new remote with chunk=%s): %w", name, cfg["chunksize"], cfg["chunksize"], ErrStackUnsupported)
}

// isEncrypted reports whether a remote's config asks for encryption.
func isEncrypted(cfg remote.Config) bool {
	e := cfg["encryption"]
	if e == "" {
		_, hasCipher := cfg["cipher"]
		return hasCipher
	}
	return e != "none"
}

// describeEncryption is git-annex's describeEncryption of a config, as
// `info` shows it: "none", or the scheme and its cipher's description.
func describeEncryption(cfg remote.Config) string {
	s, err := crypto.ParseSettings(cfg)
	if err != nil || s.Scheme == crypto.None || s.Cipher == "" {
		return "none"
	}
	return string(s.Scheme) + " (" + s.Description() + ")"
}

// describeChunking is git-annex's describeChunking, as `info` shows it.
func describeChunking(cfg remote.Config) string {
	c, err := chunk.ParseConfig(cfg)
	if err != nil {
		return "none"
	}
	return c.Describe()
}
