package annex

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/policy"
	"github.com/troveproject/trove/internal/remote"
)

// ConfigRemoteOptions are the arguments of `configremote`.
type ConfigRemoteOptions struct {
	// Name is the special remote: its remote.log name, or a repository's
	// UUID or description.
	Name string
	// Params are the "key=value" words of the command line.
	Params []string
}

// configRemoteSafe are the remote.log fields configremote may change:
// those every remote type reads without its setup validating them, as in
// git-annex 10.20230626 (only autoenable).
var configRemoteSafe = []string{"autoenable"}

// storageFields are remote.log fields that decide how content is laid out
// in the remote; changing them in place would strand what is stored.
var storageFields = []string{
	"type", "chunk", "chunksize", "exporttree", "importtree",
	"sameas-uuid", "sameas-name",
	"directory", "rsyncurl", "bucket", "fileprefix", "datacenter", "url",
	"externaltype", "hostname", "port", "partsize", "versioning",
}

// encryptionFields decide how content is encrypted; a --sameas remote
// inherits them, so only a new remote can change them.
var encryptionFields = []string{"encryption", "cipher", "cipherkeys", "pubkeys", "keyid", "mac"}

// ConfigRemoteError is configremote's refusal of a setting, naming it and
// what to run instead.
type ConfigRemoteError struct {
	Remote, Field, Value string
}

func (e *ConfigRemoteError) Error() string {
	msg := fmt.Sprintf("Cannot change field %q with this command.", e.Field)
	switch {
	case e.Field == "name":
		return msg + fmt.Sprintf(" Use `git annex renameremote %s %s` instead.", e.Remote, e.Value)
	case e.Field == "keyid+" || e.Field == "keyid-":
		return msg + fmt.Sprintf(" Use `git annex enableremote %s %s=%s` instead.", e.Remote, e.Field, e.Value)
	case slices.Contains(encryptionFields, e.Field):
		return msg + fmt.Sprintf(" It decides how content is encrypted in %s; to store content with a different encryption, make a new special remote (`git annex initremote NEWNAME type=... %s=%s`) and move the content to it.", e.Remote, e.Field, e.Value)
	case slices.Contains(storageFields, e.Field):
		return msg + fmt.Sprintf(" It decides how content is stored in %s; to access the same storage with %s=%s, make a new remote: `git annex initremote NEWNAME --sameas=%s %s=%s`.", e.Remote, e.Field, e.Value, e.Remote, e.Field, e.Value)
	}
	return msg + " Use git-annex enableremote instead."
}

// configRemoteParams parses configremote's words as git-annex's
// keyValToConfig does (a word without '=' is a field with an empty value)
// and checks each field and value, with git-annex's messages.
func configRemoteParams(name string, params []string) (remote.Config, error) {
	cfg := remote.Config{}
	for _, p := range params {
		k, v, _ := strings.Cut(p, "=")
		cfg[k] = v
	}
	for _, k := range slices.Sorted(maps.Keys(cfg)) {
		if !slices.Contains(configRemoteSafe, k) {
			return nil, &ConfigRemoteError{Remote: name, Field: k, Value: cfg[k]}
		}
	}
	if v, ok := cfg["autoenable"]; ok && v != "true" && v != "false" {
		return nil, fmt.Errorf("Bad value for autoenable (expected true or false)")
	}
	return cfg, nil
}

// FindConfigRemote resolves configremote's NAME as git-annex does: a
// special remote of remote.log by name (one that is not dead when several
// are called that), else a repository's UUID or description that is a
// special remote. An unknown name gives an *UnknownSpecialRemoteError
// listing the special remotes (it wraps ErrRemoteUsage), as does an empty
// one.
func (r *Repo) FindConfigRemote(ctx context.Context, name string) (SpecialRemote, error) {
	srs, err := r.SpecialRemotes(ctx)
	if err != nil {
		return SpecialRemote{}, err
	}
	if name == "" {
		return SpecialRemote{}, &UnknownSpecialRemoteError{Prefix: "Specify the remote to configure.", Known: srs}
	}
	var named []SpecialRemote
	for _, sr := range srs {
		if sr.Name == name {
			named = append(named, sr)
		}
	}
	if len(named) > 1 {
		repos, err := r.Repos(ctx)
		if err != nil {
			return SpecialRemote{}, err
		}
		live := slices.DeleteFunc(slices.Clone(named), func(sr SpecialRemote) bool {
			return repos.Get(sr.UUID).Trust == policy.Dead
		})
		if len(live) > 0 {
			named = live
		}
	}
	switch len(named) {
	case 1:
		return named[0], nil
	case 0:
	default:
		return SpecialRemote{}, &usageError{"Multiple remotes have that name. Either use git-annex renameremote to rename them, or specify the uuid of the remote."}
	}
	if u, err := r.FindRepo(ctx, name); err == nil {
		for _, sr := range srs {
			if sr.ConfigUUID == u || sr.UUID == u {
				return sr, nil
			}
		}
	}
	return SpecialRemote{}, &UnknownSpecialRemoteError{Prefix: "Unknown remote name.", Known: srs}
}

// ConfigRemote changes settings of the special remote sr (from
// FindConfigRemote) in remote.log without enabling it here: the stored
// config with params applied is written as a new remote.log line, as
// initremote and enableremote write it. Only settings that no remote
// type validates may change (autoenable); any other is refused with a
// *ConfigRemoteError before anything is written. A private remote's line
// stays in the private journal.
func (r *Repo) ConfigRemote(ctx context.Context, sr SpecialRemote, params []string) (SpecialRemoteResult, error) {
	res := SpecialRemoteResult{Name: sr.Name, UUID: sr.UUID, ConfigUUID: sr.ConfigUUID}
	extra, err := configRemoteParams(sr.Name, params)
	if err != nil {
		return res, err
	}
	res.Config = maps.Clone(sr.Config)
	if res.Config == nil {
		res.Config = remote.Config{}
	}
	maps.Copy(res.Config, extra)
	return res, r.setRemoteConfig(ctx, res.ConfigUUID, res.Config)
}
