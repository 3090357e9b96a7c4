package directory

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// Type is the directory special remote type.
var Type = &remote.Type{
	Name:        "directory",
	DefaultCost: remote.CheapCost,
	Setup:       setup,
	New:         newRemote,
}

// Configuration fields.
const (
	// DirectoryField names the storage directory; never stored in
	// remote.log.
	DirectoryField = "directory"
	// IgnoreInodesField (yes|no) tells importtree to ignore inode numbers
	// when deciding whether a file changed.
	IgnoreInodesField = "ignoreinodes"
	// gitConfigDirectory is the local setting holding the directory
	// (remote.NAME.annex-directory).
	gitConfigDirectory = "annex-directory"
)

// setup checks directory= (required, an existing directory, made
// absolute) and ignoreinodes=, and moves the directory out of remote.log
// into git config, with git-annex's messages.
func setup(ctx context.Context, mode remote.SetupMode, u uuid.UUID, cfg remote.Config, h remote.Host) (remote.SetupResult, error) {
	out := remote.Config{}
	for k, v := range cfg {
		out[k] = v
	}
	if v, ok := cfg[IgnoreInodesField]; ok && v != "yes" && v != "no" {
		return remote.SetupResult{}, fmt.Errorf("Bad value for %s (expected yes or no)", IgnoreInodesField)
	}
	dir, ok := cfg[DirectoryField]
	delete(out, DirectoryField)
	if !ok || dir == "" {
		if mode == remote.Reconfigure {
			return remote.SetupResult{Config: out}, nil
		}
		return remote.SetupResult{}, fmt.Errorf("Specify directory=")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return remote.SetupResult{}, fmt.Errorf("directory=%s: %w", dir, err)
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return remote.SetupResult{}, fmt.Errorf("Directory does not exist: %s", abs)
	}
	return remote.SetupResult{Config: out, GitConfig: map[string]string{gitConfigDirectory: abs}}, nil
}

// newRemote opens a directory remote from its git config.
func newRemote(ctx context.Context, p remote.Params) (remote.Remote, error) {
	dir, ok := p.Host.GitConfig("remote." + p.Name + "." + gitConfigDirectory)
	if !ok || dir == "" {
		return nil, fmt.Errorf("remote %s: remote.%s.%s is not set (run `git annex enableremote %s directory=PATH`)", p.Name, p.Name, gitConfigDirectory, p.Name)
	}
	return New(p, dir), nil
}
