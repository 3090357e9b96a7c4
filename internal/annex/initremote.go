package annex

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/encrypted"
	"github.com/troveproject/trove/internal/uuid"
)

// Errors of initremote and enableremote that happen before any remote is
// set up (git-annex reports them without an "initremote NAME" line).
var (
	// ErrRemoteUsage: the command line is incomplete or names something
	// that does not exist.
	ErrRemoteUsage = errors.New("bad special remote command line")
)

// usageError is an ErrRemoteUsage with git-annex's message.
type usageError struct{ msg string }

func (e *usageError) Error() string        { return e.msg }
func (e *usageError) Is(target error) bool { return target == ErrRemoteUsage }

// encryptionChoices is git-annex's message when initremote lacks encryption=.
const encryptionChoices = "Specify encryption=hybrid or encryption=none or encryption=pubkey or encryption=shared or encryption=sharedpubkey."

// InitRemoteOptions are the arguments of `initremote`.
type InitRemoteOptions struct {
	Name string
	// Params are the "key=value" words of the command line.
	Params []string
	// SameAs names the remote (name, UUID or description) whose data the
	// new remote accesses; "" for an independent remote.
	SameAs string
	// Private keeps everything about the remote out of the git-annex
	// branch: in .git/annex/journal-private, like git-annex's --private.
	Private bool
	// Note, when set, is given git-annex's notes about the setup as they
	// happen ("encryption setup", then the cipher's description).
	Note func(string)
}

// SpecialRemoteResult is what initremote or enableremote set up.
type SpecialRemoteResult struct {
	Name       string
	UUID       uuid.UUID // data UUID
	ConfigUUID uuid.UUID // remote.log key
	Config     remote.Config
}

// CheckInitRemote validates what can be checked before initremote starts
// its action, with git-annex's messages: a name, type=, an unused name, a
// known type. Errors wrap ErrRemoteUsage.
func (r *Repo) CheckInitRemote(ctx context.Context, opts InitRemoteOptions) error {
	if opts.Name == "" {
		return &usageError{"Specify a name for the remote."}
	}
	cfg, _ := parseRemoteParams(opts.Params)
	typ, ok := cfg["type"]
	if !ok && opts.SameAs == "" {
		return &usageError{"Specify the type of remote with type="}
	}
	srs, err := r.SpecialRemotes(ctx)
	if err != nil {
		return err
	}
	for _, sr := range srs {
		if sr.Name == opts.Name {
			return &usageError{fmt.Sprintf("There is already a special remote named %q. (Use enableremote to enable an existing special remote.)", opts.Name)}
		}
	}
	if _, ok := r.cfg.Remote(opts.Name); ok {
		return &usageError{fmt.Sprintf("There is already a remote named %q", opts.Name)}
	}
	if ok {
		if _, err := r.registry().Lookup(typ); err != nil {
			return &usageError{fmt.Sprintf("Unknown remote type %s (pick from: %s)", typ, strings.Join(r.registry().Names(), " "))}
		}
	}
	return nil
}

// InitRemote creates a special remote: a new UUID, its remote.log line
// (the type's Setup decides the stored settings), its uuid.log
// description (the name) and the local git config (annex-uuid,
// skipfetchall and the type's settings). It runs CheckInitRemote first.
// With opts.Private, remote.<name>.annex-private is set first and all of
// it (and every later record about the remote) goes to the private
// journal instead of the branch, as git-annex's --private does.
func (r *Repo) InitRemote(ctx context.Context, opts InitRemoteOptions) (SpecialRemoteResult, error) {
	if err := r.CheckInitRemote(ctx, opts); err != nil {
		return SpecialRemoteResult{}, err
	}
	cfg, err := parseRemoteParams(opts.Params)
	if err != nil {
		return SpecialRemoteResult{}, err
	}
	res := SpecialRemoteResult{Name: opts.Name, ConfigUUID: uuid.New()}
	res.UUID = res.ConfigUUID
	if opts.SameAs != "" {
		parent, err := r.sameasParent(ctx, opts.SameAs)
		if err != nil {
			return res, err
		}
		res.UUID = parent.UUID
		if _, ok := cfg["type"]; !ok {
			cfg["type"] = parent.Type
		}
		cfg["sameas-name"] = opts.Name
		cfg["sameas-uuid"] = string(parent.UUID)
		for _, f := range sameasInherited {
			delete(cfg, f)
		}
		entries, err := r.remoteLog(ctx)
		if err != nil {
			return res, err
		}
		cfg = withInherited(cfg, entries)
	} else {
		cfg["name"] = opts.Name
		if _, ok := cfg["encryption"]; !ok {
			if _, keyid := cfg["keyid"]; !keyid {
				return res, errors.New(encryptionChoices)
			}
			cfg["encryption"] = "hybrid"
		}
	}
	if err := checkChunkLayer(opts.Name, cfg); err != nil {
		return res, err
	}
	if opts.Private {
		if err := r.makePrivate(ctx, res); err != nil {
			return res, err
		}
	}
	out, err := r.setupSpecial(ctx, remote.Init, res, cfg, opts.Note)
	if err != nil {
		return res, err
	}
	stored := out.Config
	if opts.SameAs != "" {
		stored = remote.Config{}
		for k, v := range out.Config {
			stored[k] = v
		}
		for _, f := range sameasInherited {
			delete(stored, f)
		}
	}
	res.Config = stored
	if err := r.setRemoteConfig(ctx, res.ConfigUUID, stored); err != nil {
		return res, err
	}
	if opts.SameAs == "" {
		if err := r.Describe(ctx, res.UUID, opts.Name); err != nil {
			return res, err
		}
	}
	return res, r.configureSpecial(ctx, res, out.GitConfig)
}

// sameasParent resolves --sameas: a special remote by name, or any
// repository by name, UUID or description.
func (r *Repo) sameasParent(ctx context.Context, name string) (SpecialRemote, error) {
	srs, err := r.SpecialRemotes(ctx)
	if err != nil {
		return SpecialRemote{}, err
	}
	for _, sr := range srs {
		if sr.Name == name || sr.Enabled == name {
			return sr, nil
		}
	}
	u, err := r.FindRepo(ctx, name)
	if err != nil {
		return SpecialRemote{}, err
	}
	for _, sr := range srs {
		if sr.UUID == u {
			return sr, nil
		}
	}
	return SpecialRemote{}, fmt.Errorf("--sameas=%s is not a special remote (see `git annex info %s`)", name, name)
}

// setupSpecial sets up encryption for res with cfg (generating a cipher,
// or re-encrypting it for keyid+=/keyid-=; transient fields dropped), then
// runs the type's Setup on the result. note, when not nil, gets
// git-annex's notes about the encryption setup.
func (r *Repo) setupSpecial(ctx context.Context, mode remote.SetupMode, res SpecialRemoteResult, cfg remote.Config, note func(string)) (remote.SetupResult, error) {
	t, err := r.registry().Lookup(cfg["type"])
	if err != nil {
		return remote.SetupResult{}, err
	}
	h := r.newSpecialHost(res.Name, res.UUID, res.ConfigUUID, cfg)
	cfg, err = encrypted.SetupWithNotes(ctx, mode, cfg, h, note)
	if err != nil {
		return remote.SetupResult{}, err
	}
	h = r.newSpecialHost(res.Name, res.UUID, res.ConfigUUID, cfg)
	h.settingUp = true
	out, err := t.Setup(ctx, mode, res.UUID, cfg, h)
	if err != nil {
		return out, err
	}
	if out.Config == nil {
		out.Config = cfg
	}
	maps.Copy(out.Config, h.embeddedDuringSetup())
	return out, nil
}

// configureSpecial writes the local git config of a special remote in
// git-annex's order: the type's settings, annex-uuid, annex-config-uuid
// (--sameas remotes), skipfetchall.
func (r *Repo) configureSpecial(ctx context.Context, res SpecialRemoteResult, gitConfig map[string]string) error {
	p := "remote." + res.Name + "."
	for _, k := range slices.Sorted(maps.Keys(gitConfig)) {
		if err := setConfig(ctx, r.git, p+k, gitConfig[k]); err != nil {
			return err
		}
	}
	if err := setConfig(ctx, r.git, p+"annex-uuid", string(res.UUID)); err != nil {
		return err
	}
	if res.ConfigUUID != res.UUID {
		if err := setConfig(ctx, r.git, p+"annex-config-uuid", string(res.ConfigUUID)); err != nil {
			return err
		}
	}
	return setConfig(ctx, r.git, p+"skipfetchall", "true")
}

// parseRemoteParams splits "key=value" words. Words without '=' are
// reported as git-annex does ("Unexpected parameters: foo").
func parseRemoteParams(params []string) (remote.Config, error) {
	cfg := remote.Config{}
	var bad []string
	for _, p := range params {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			bad = append(bad, p)
			continue
		}
		cfg[k] = v
	}
	if len(bad) > 0 {
		return cfg, fmt.Errorf("Unexpected parameters: %s", strings.Join(bad, " "))
	}
	return cfg, nil
}
