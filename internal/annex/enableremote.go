package annex

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// UnknownSpecialRemoteError is enableremote's or renameremote's answer to
// a name remote.log does not have; it lists the special remotes it knows
// as git-annex does.
type UnknownSpecialRemoteError struct {
	// Prefix is git-annex's first line ("Unknown remote name.").
	Prefix string
	Known  []SpecialRemote
}

func (e *UnknownSpecialRemoteError) Error() string {
	if len(e.Known) == 0 {
		return e.Prefix + "\n(No special remotes are currently known; perhaps use initremote instead?)"
	}
	lines := make([]string, len(e.Known))
	for i, sr := range e.Known {
		lines[i] = "\t" + string(sr.ConfigUUID) + " -- [" + sr.Name + "]"
	}
	return e.Prefix + "\n" + strings.Join(lines, "\n ") + "\n"
}

// Is makes errors.Is(err, ErrRemoteUsage) true.
func (e *UnknownSpecialRemoteError) Is(target error) bool { return target == ErrRemoteUsage }

// findSpecial returns the special remote of remote.log called name.
func (r *Repo) findSpecial(ctx context.Context, name, prefix string) (SpecialRemote, error) {
	srs, err := r.SpecialRemotes(ctx)
	if err != nil {
		return SpecialRemote{}, err
	}
	for _, sr := range srs {
		if sr.Name == name {
			return sr, nil
		}
	}
	return SpecialRemote{}, &UnknownSpecialRemoteError{Prefix: prefix, Known: srs}
}

// EnableRemoteOptions are the arguments of `enableremote`.
type EnableRemoteOptions struct {
	Name string
	// Params are the "key=value" words of the command line.
	Params []string
	// Note, when set, is given git-annex's notes about the setup as they
	// happen ("encryption update", then the cipher's description).
	Note func(string)
}

// EnableRemote enables in this repository the special remote remote.log
// calls opts.Name: its encryption is updated (keyid+=, keyid-=) and the
// type's Setup runs with the stored config plus opts.Params, remote.log is
// rewritten with the result, and the local git config is re-created. A
// git remote of that name gets its annex-ignore removed instead, as
// git-annex does. An empty name gives an *UnknownSpecialRemoteError
// listing what can be enabled.
func (r *Repo) EnableRemote(ctx context.Context, opts EnableRemoteOptions) (SpecialRemoteResult, error) {
	name := opts.Name
	if name == "" {
		srs, err := r.SpecialRemotes(ctx)
		if err != nil {
			return SpecialRemoteResult{}, err
		}
		return SpecialRemoteResult{}, &UnknownSpecialRemoteError{Prefix: "Specify the remote to enable.", Known: srs}
	}
	if rem, ok := r.cfg.Remote(name); ok && rem.URL != "" {
		if rem.Ignore {
			if err := r.git.ConfigUnset(ctx, "remote."+name+".annex-ignore"); err != nil {
				return SpecialRemoteResult{}, fmt.Errorf("unset remote.%s.annex-ignore: %w", name, err)
			}
		}
		return SpecialRemoteResult{Name: name, UUID: rem.UUID, ConfigUUID: rem.UUID}, nil
	}
	sr, err := r.findSpecial(ctx, name, "Unknown remote name.")
	if err != nil {
		return SpecialRemoteResult{}, err
	}
	return r.enableSpecial(ctx, sr, opts.Params, opts.Note)
}

// enableSpecial sets up sr here with extra params; note is as in
// EnableRemoteOptions.
func (r *Repo) enableSpecial(ctx context.Context, sr SpecialRemote, params []string, note func(string)) (SpecialRemoteResult, error) {
	extra, err := parseRemoteParams(params)
	if err != nil {
		return SpecialRemoteResult{}, err
	}
	stored := remote.Config{}
	for k, v := range sr.Config {
		stored[k] = v
	}
	for k, v := range extra {
		stored[k] = v
	}
	entries, err := r.remoteLog(ctx)
	if err != nil {
		return SpecialRemoteResult{}, err
	}
	cfg := withInherited(stored, entries)
	res := SpecialRemoteResult{Name: sr.Name, UUID: sr.UUID, ConfigUUID: sr.ConfigUUID}
	if err := checkChunkLayer(sr.Name, cfg); err != nil {
		return res, err
	}
	out, err := r.setupSpecial(ctx, remote.Enable, res, cfg, note)
	if err != nil {
		return res, err
	}
	res.Config = remote.Config{}
	for k, v := range out.Config {
		res.Config[k] = v
	}
	if _, ok := stored["sameas-uuid"]; ok {
		for _, f := range sameasInherited {
			delete(res.Config, f)
		}
	}
	if err := r.setRemoteConfig(ctx, res.ConfigUUID, res.Config); err != nil {
		return res, err
	}
	return res, r.configureSpecial(ctx, res, out.GitConfig)
}

// AutoEnableRemotes enables, as `git annex init` does, every special
// remote configured with autoenable=true that has no git remote here yet,
// in remote.log's UUID order. fn is called before each (err nil) and after
// each with its outcome; one failure does not stop the others.
func (r *Repo) AutoEnableRemotes(ctx context.Context, fn func(name string, done bool, err error)) error {
	entries, err := r.remoteLog(ctx)
	if err != nil {
		return err
	}
	var cus []uuid.UUID
	for cu, e := range entries {
		if v := e.Value["autoenable"]; v == "true" || v == "yes" {
			cus = append(cus, cu)
		}
	}
	slices.Sort(cus)
	for _, cu := range cus {
		sr := r.specialRemote(cu, remote.Config(entries[cu].Value))
		if sr.Enabled != "" || sr.Name == "" {
			continue
		}
		if _, taken := r.cfg.Remote(sr.Name); taken {
			continue
		}
		fn(sr.Name, false, nil)
		_, err := r.enableSpecial(ctx, sr, nil, nil)
		fn(sr.Name, true, err)
	}
	return nil
}

// RenameRemote renames the special remote old (a remote.log name, or a
// repository's name, UUID or description) to new in remote.log, and
// renames the git remote too when it is enabled here under old.
func (r *Repo) RenameRemote(ctx context.Context, old, new string) error {
	if old == "" || new == "" {
		return &usageError{"Specify an old name (or uuid or description) and a new name."}
	}
	srs, err := r.SpecialRemotes(ctx)
	if err != nil {
		return err
	}
	for _, sr := range srs {
		if sr.Name == new {
			return &usageError{fmt.Sprintf("The name %s is already used by a special remote.", new)}
		}
	}
	var found *SpecialRemote
	for i := range srs {
		if srs[i].Name == old {
			found = &srs[i]
			break
		}
	}
	if found == nil {
		u, err := r.FindRepo(ctx, old)
		if err != nil {
			return err
		}
		for i := range srs {
			if srs[i].ConfigUUID == u || srs[i].UUID == u {
				found = &srs[i]
				break
			}
		}
	}
	if found == nil {
		return fmt.Errorf("%s is not a special remote; rename a git remote with `git remote rename %s %s`", old, old, new)
	}
	cfg := remote.Config{}
	for k, v := range found.Config {
		cfg[k] = v
	}
	if _, ok := cfg["sameas-name"]; ok {
		cfg["sameas-name"] = new
	} else {
		cfg["name"] = new
	}
	if err := r.setRemoteConfig(ctx, found.ConfigUUID, cfg); err != nil {
		return err
	}
	if found.Enabled != "" && found.Enabled == old {
		if _, err := r.git.Run(ctx, "remote", "rename", old, new); err != nil {
			return fmt.Errorf("rename git remote %s to %s: %w", old, new, err)
		}
	}
	return nil
}
