package rsync

import (
	"context"
	"fmt"
	"strings"

	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// Type is the rsync special remote type.
var Type = &remote.Type{
	Name:        "rsync",
	DefaultCost: remote.ExpensiveCost,
	Setup:       setup,
	New:         newRemote,
}

// Configuration fields and local settings.
const (
	// URLField is rsyncurl=, kept in remote.log and, so that each clone may
	// change it, in git config as remote.NAME.annex-rsyncurl.
	URLField = "rsyncurl"
	// ShellEscapeField=no turns off quoting of remote-shell paths.
	ShellEscapeField = "shellescape"

	gitURL             = "annex-rsyncurl"
	gitOptions         = "annex-rsync-options"
	gitUploadOptions   = "annex-rsync-upload-options"
	gitDownloadOptions = "annex-rsync-download-options"
	gitTransport       = "annex-rsync-transport"
)

// setup requires rsyncurl= and copies it to git config.
func setup(ctx context.Context, mode remote.SetupMode, u uuid.UUID, cfg remote.Config, h remote.Host) (remote.SetupResult, error) {
	out := remote.Config{}
	for k, v := range cfg {
		out[k] = v
	}
	url := cfg[URLField]
	if url == "" {
		return remote.SetupResult{}, fmt.Errorf("Specify rsyncurl=")
	}
	return remote.SetupResult{Config: out, GitConfig: map[string]string{gitURL: url}}, nil
}

// newRemote opens an rsync remote: the URL from git config (or
// remote.log), options from remote.NAME.annex-rsync-*.
func newRemote(ctx context.Context, p remote.Params) (remote.Remote, error) {
	git := func(name string) string {
		v, _ := p.Host.GitConfig("remote." + p.Name + "." + name)
		return v
	}
	url := git(gitURL)
	if url == "" {
		url = p.Config[URLField]
	}
	if url == "" {
		return nil, fmt.Errorf("remote %s: no rsyncurl (run `git annex enableremote %s rsyncurl=URL`)", p.Name, p.Name)
	}
	o := Options{
		URL:             URL(url),
		Options:         safeOptions(strings.Fields(git(gitOptions))),
		UploadOptions:   safeOptions(strings.Fields(git(gitUploadOptions))),
		DownloadOptions: safeOptions(strings.Fields(git(gitDownloadOptions))),
		Transport:       strings.Fields(git(gitTransport)),
		TmpDir:          p.Host.TmpDir(),
	}
	o.NoShellEscape = p.Config[ShellEscapeField] == "no" || ProtectsArgs(ctx, o.Program)
	return New(p, o), nil
}

// safeOptions drops --delete and --delete-excluded, which could remove
// other keys sharing a hash directory, as git-annex does.
func safeOptions(opts []string) []string {
	out := opts[:0:0]
	for _, o := range opts {
		if o != "--delete" && o != "--delete-excluded" {
			out = append(out, o)
		}
	}
	return out
}
