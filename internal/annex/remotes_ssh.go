package annex

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"

	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/p2p"
	"github.com/troveproject/trove/internal/sshcmd"
	"github.com/troveproject/trove/internal/uuid"
)

// openSSHRemote opens the i-th configured remote when its URL is reached
// over ssh (ssh://, host:path), adding it to the usable remotes or, with
// the reason, to the unusable ones. It reports whether the remote was an
// ssh one. A remote whose UUID is not configured yet is asked for it with
// `git-annex-shell configlist` (which initialises a repository that has a
// git-annex branch), and remote.NAME.annex-uuid is recorded.
func (r *Repo) openSSHRemote(ctx context.Context, i int) bool {
	rem := r.cfg.Remotes[i]
	loc, ok := sshcmd.ParseURL(rem.URL)
	if !ok {
		return false
	}
	get := r.cfg.Git().Get
	client := sshcmd.New(loc, sshcmd.Options{GitConfig: get, Remote: rem.Name, CacheDir: filepath.Join(annexDir(r.git), "ssh")})
	shell, _ := get("remote." + rem.Name + ".annex-shell")
	if rem.UUID.IsZero() {
		u, err := configListUUID(ctx, client, shell)
		if err != nil {
			r.warn("Remote %s cannot currently be accessed (%v).", rem.Name, err)
		}
		if err != nil || u.IsZero() || setConfig(ctx, r.git, "remote."+rem.Name+".annex-uuid", u.String()) != nil {
			r.remotes.unusable[rem.Name] = &RemoteError{Name: rem.Name, URL: rem.URL, Kind: ErrRemoteNoUUID}
			_ = client.Close(ctx)
			return true
		}
		rem.UUID = u
		r.cfg.Remotes[i].UUID = u
	}
	cost := remote.ExpensiveCost
	if rem.HasCost {
		cost = rem.Cost
	}
	r.remotes.list = append(r.remotes.list, sshRemote{p2p.New(p2p.Config{
		Name:     rem.Name,
		UUID:     rem.UUID,
		Cost:     cost,
		Location: rem.URL,
		ReadOnly: rem.ReadOnly,
		Dial:     p2p.SSHDialer(client, shell, r.here, rem.UUID),
	}), client})
	return true
}

// sshRemote is a git-annex repository over ssh: the P2P remote, whose
// Close also stops the ssh connection master its sessions shared (unless
// another process still uses it), once the sessions have ended.
type sshRemote struct {
	*p2p.Remote
	client *sshcmd.Client
}

// Close implements remote.Closer.
func (s sshRemote) Close(ctx context.Context) error {
	err := s.Remote.Close(ctx)
	return errors.Join(err, s.client.Close(ctx))
}

// configListUUID runs `git-annex-shell configlist DIR` and returns the
// annex.uuid it prints ("" for a git repository without git-annex).
func configListUUID(ctx context.Context, c *sshcmd.Client, shell string) (uuid.UUID, error) {
	if shell == "" {
		shell = "git-annex-shell"
	}
	out, err := c.Output(ctx, sshcmd.ShellCommand(shell, "configlist", c.Location().Path))
	if err != nil {
		return "", err
	}
	for _, line := range bytes.Split(out, []byte("\n")) {
		if v, ok := strings.CutPrefix(string(line), "annex.uuid="); ok {
			return uuid.UUID(v), nil
		}
	}
	return "", nil
}
