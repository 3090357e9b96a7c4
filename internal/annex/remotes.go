package annex

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/troveproject/trove/internal/config"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/gitlocal"
	"github.com/troveproject/trove/internal/remote/web"
	"github.com/troveproject/trove/internal/uuid"
)

// Kinds of RemoteError, for errors.Is.
var (
	// ErrRemoteIgnored: the remote has annex-ignore set.
	ErrRemoteIgnored = errors.New("remote is ignored")
	// ErrRemoteNotSupported: the remote's type (ssh, http, special) is not
	// supported yet.
	ErrRemoteNotSupported = errors.New("remote type not supported yet")
	// ErrRemoteNoUUID: the remote is not a git-annex repository, or cannot
	// be reached to learn its UUID.
	ErrRemoteNoUUID = errors.New("remote has no known git-annex UUID")
)

// RemoteError says why a configured git remote cannot be used. Kind is one
// of ErrRemoteIgnored, ErrRemoteNotSupported, ErrRemoteNoUUID.
type RemoteError struct {
	Name string
	URL  string
	Kind error
	// Cause is why a special remote could not be opened (nil for git
	// remotes).
	Cause error
}

func (e *RemoteError) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("special remote %s cannot be used: %v", e.Name, e.Cause)
	}
	switch e.Kind {
	case ErrRemoteIgnored:
		return fmt.Sprintf("remote %s is ignored because annex-ignore is set (run `git config --unset remote.%s.annex-ignore` to use it)", e.Name, e.Name)
	case ErrRemoteNotSupported:
		return fmt.Sprintf("remote %s (%s) is of a type Trove does not support yet; only git remotes on local paths are (see `git remote -v`, or set `git config remote.%s.annex-ignore true`)", e.Name, e.URL, e.Name)
	}
	// git-annex's own words.
	return fmt.Sprintf("cannot determine uuid for %s (perhaps you need to run \"git annex sync\"?)", e.Name)
}

// Unwrap returns the kind and the cause.
func (e *RemoteError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Kind, e.Cause}
	}
	return []error{e.Kind}
}

// remotesState is the command's view of its git remotes, built once.
type remotesState struct {
	once     sync.Once
	loaded   atomic.Bool // list is built (once has run)
	list     []remote.Remote
	unusable map[string]error
	err      error

	mu       sync.Mutex
	peers    []*Repo // opened peer repositories, closed by closeRemotes
	warnings []string
	messages func(warning bool, msg string) // SetRemoteMessages
	tempURLs map[string]string              // key -> URL a remote downloads it from (addurl)

	// registry holds the special remote types (all.Registry unless a test
	// sets it before the first use).
	regOnce  sync.Once
	registry *remote.Registry

	// receiving serialises PeerReceive of one key (striped by key hash),
	// since its partial file is shared.
	receiving [64]sync.Mutex
	seedOnce  sync.Once
	seed      maphash.Seed
}

// lockReceive takes the receive lock of k and returns its release.
func (s *remotesState) lockReceive(k key.Key) func() {
	s.seedOnce.Do(func() { s.seed = maphash.MakeSeed() })
	m := &s.receiving[maphash.String(s.seed, k.String())%uint64(len(s.receiving))]
	m.Lock()
	return m.Unlock
}

// Remotes returns the usable remotes: git remotes whose URL is a local
// path (bare or not, absolute, relative to the repository or file://) and
// special remotes (configured with annex-uuid and no URL, opened from
// their remote.log entry through the type registry), ordered by cost then
// name. Remotes with annex-ignore, of other types (ssh, http, special
// remote types this build lacks) and whose UUID cannot be learned are
// left out, each with a *RemoteError that Remote returns; an unreachable one adds a warning to Warnings. A remote whose
// UUID is not in the git config yet is opened to learn it (initialising it
// when it has a git-annex branch but no annex yet, as git-annex does) and
// remote.<name>.annex-uuid is recorded. The list is built once per Repo;
// safe for concurrent use.
func (r *Repo) Remotes(ctx context.Context) ([]remote.Remote, error) {
	r.remotes.once.Do(func() {
		r.remotes.err = r.loadRemotes(ctx)
		r.remotes.loaded.Store(true)
	})
	return slices.Clone(r.remotes.list), r.remotes.err
}

// Remote returns the usable remote called name. An unknown name gives an
// *UnknownRepoError; an ignored, unsupported or uninitialised remote a
// *RemoteError saying what to run.
func (r *Repo) Remote(ctx context.Context, name string) (remote.Remote, error) {
	list, err := r.Remotes(ctx)
	if err != nil {
		return nil, err
	}
	// A configured remote that cannot be used wins over the built-in
	// web remote of the same name.
	if err, ok := r.remotes.unusable[name]; ok {
		return nil, err
	}
	for _, rm := range list {
		if rm.Name() == name {
			return rm, nil
		}
	}
	return nil, &UnknownRepoError{Name: name}
}

// Warnings returns and clears the warnings collected while opening remotes,
// in git-annex's words ("Remote usb cannot currently be accessed.").
func (r *Repo) Warnings() []string {
	r.remotes.mu.Lock()
	defer r.remotes.mu.Unlock()
	w := r.remotes.warnings
	r.remotes.warnings = nil
	return w
}

func (r *Repo) warn(format string, args ...any) {
	r.remotes.mu.Lock()
	defer r.remotes.mu.Unlock()
	r.remotes.warnings = append(r.remotes.warnings, fmt.Sprintf(format, args...))
}

func (r *Repo) loadRemotes(ctx context.Context) error {
	r.remotes.unusable = map[string]error{}
	var entries map[uuid.UUID]logs.Entry[logs.RemoteConfig]
	for i := range r.cfg.Remotes {
		rem := r.cfg.Remotes[i]
		if rem.Ignore {
			r.remotes.unusable[rem.Name] = &RemoteError{Name: rem.Name, URL: rem.URL, Kind: ErrRemoteIgnored}
			continue
		}
		if rem.URL == "" {
			if rem.UUID.IsZero() {
				r.remotes.unusable[rem.Name] = &RemoteError{Name: rem.Name, Kind: ErrRemoteNoUUID}
				continue
			}
			if entries == nil {
				var err error
				if entries, err = r.remoteLog(ctx); err != nil {
					return err
				}
			}
			rm, err := r.openSpecial(ctx, rem, entries)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				r.remotes.unusable[rem.Name] = &RemoteError{Name: rem.Name, Kind: ErrRemoteNotSupported, Cause: err}
				continue
			}
			rm = r.asExportRemote(rm)
			r.remotes.list = append(r.remotes.list, rm)
			continue
		}
		if r.openSSHRemote(ctx, i) {
			continue
		}
		path, ok := localRemotePath(rem.URL, r.paths.Top)
		if !ok {
			r.remotes.unusable[rem.Name] = &RemoteError{Name: rem.Name, URL: rem.URL, Kind: ErrRemoteNotSupported}
			continue
		}
		path = resolveRemoteDir(path)
		var opened *Repo
		if rem.UUID.IsZero() {
			p, err := r.learnUUID(ctx, rem, path)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				r.remotes.unusable[rem.Name] = &RemoteError{Name: rem.Name, URL: rem.URL, Kind: ErrRemoteNoUUID}
				continue
			}
			opened = p
			rem.UUID = p.UUID()
			r.cfg.Remotes[i].UUID = rem.UUID
		}
		r.remotes.list = append(r.remotes.list, gitlocal.New(gitlocal.Config{
			Name:     rem.Name,
			UUID:     rem.UUID,
			Cost:     remoteCost(rem),
			Location: path,
			ReadOnly: rem.ReadOnly,
			Open:     r.peerOpener(rem.Name, rem.UUID, path, opened),
		}))
	}
	r.remotes.list = append(r.remotes.list, r.webRemote())
	slices.SortStableFunc(r.remotes.list, func(a, b remote.Remote) int {
		switch {
		case a.Cost() < b.Cost():
			return -1
		case a.Cost() > b.Cost():
			return 1
		}
		return strings.Compare(a.Name(), b.Name())
	})
	return nil
}

// webRemote is the built-in web remote (uuid.Web), which git-annex lists
// among the remotes: it downloads the URLs of a key's url log.
func (r *Repo) webRemote() remote.Remote {
	h := r.newSpecialHost("web", uuid.Web, uuid.Web, remote.Config{"type": "web"})
	return web.New(h, web.ConfigOptions(r.cfg.Git().Get))
}

// remoteCost is annex-cost, or git-annex's cost of a local repository.
func remoteCost(rem config.Remote) float64 {
	if rem.HasCost {
		return rem.Cost
	}
	return remote.CheapCost
}

// learnUUID opens the repository of a remote whose UUID is not configured
// yet and records it as remote.<name>.annex-uuid. A plain git repository
// (no annex, no git-annex branch) fails quietly, as in git-annex; a missing
// or unreadable one also warns.
func (r *Repo) learnUUID(ctx context.Context, rem config.Remote, path string) (*Repo, error) {
	if _, err := os.Stat(path); err != nil {
		r.warn("Remote %s cannot currently be accessed.", rem.Name)
		return nil, err
	}
	p, err := r.openPeer(ctx, path)
	if err != nil {
		if !errors.Is(err, ErrNotInitialized) {
			r.warn("Remote %s: %v", rem.Name, err)
		}
		return nil, err
	}
	if err := setConfig(ctx, r.git, "remote."+rem.Name+".annex-uuid", p.UUID().String()); err != nil {
		return nil, err
	}
	return p, nil
}

// peerOpener returns the gitlocal opener of a remote: the repository
// already opened to learn its UUID, or one opened now whose UUID must be
// the configured one.
func (r *Repo) peerOpener(name string, want uuid.UUID, path string, opened *Repo) func(context.Context) (gitlocal.Peer, error) {
	return func(ctx context.Context) (gitlocal.Peer, error) {
		if opened != nil {
			return opened, nil
		}
		p, err := r.openPeer(ctx, path)
		if err != nil {
			return nil, err
		}
		if p.UUID() != want {
			return nil, fmt.Errorf("the repository at %s has UUID %s, but remote.%s.annex-uuid is %s (if it was re-created, run `git config remote.%s.annex-uuid %s`)", path, p.UUID(), name, want, name, p.UUID())
		}
		return p, nil
	}
}

// openPeer opens the git-annex repository at path as a peer: without
// merging its remotes' git-annex branches, closed by closeRemotes.
func (r *Repo) openPeer(ctx context.Context, path string) (*Repo, error) {
	if !isGitRepoDir(path) {
		return nil, fmt.Errorf("%s is not a git repository: %w", path, ErrNotInitialized)
	}
	p, err := Open(ctx, Options{Dir: path, Clock: r.clock, peer: true})
	if err != nil {
		return nil, err
	}
	r.remotes.mu.Lock()
	r.remotes.peers = append(r.remotes.peers, p)
	r.remotes.mu.Unlock()
	return p, nil
}

// closeRemotes commits what the opened peers recorded in their git-annex
// branches and closes them.
func (r *Repo) closeRemotes() error {
	r.remotes.mu.Lock()
	peers := r.remotes.peers
	r.remotes.peers = nil
	r.remotes.mu.Unlock()
	var errs []error
	for _, rm := range r.remotes.list {
		if s, ok := rm.(remote.Closer); ok {
			if err := s.Close(context.Background()); err != nil {
				errs = append(errs, fmt.Errorf("close remote %s: %w", rm.Name(), err))
			}
		}
	}
	for _, p := range peers {
		if _, err := p.Commit(context.Background()); err != nil {
			errs = append(errs, fmt.Errorf("remote repository %s: %w", p.paths.Top, err))
		}
		errs = append(errs, p.Close())
	}
	return errors.Join(errs...)
}

// localRemotePath returns the path a remote URL names when it is local, as
// git-annex reads it: file:// URLs, absolute paths, ~/ paths, and paths
// relative to the repository (top, or git directory when bare). URLs with
// another scheme and scp-like host:path locations are not local.
func localRemotePath(u, base string) (string, bool) {
	if rest, ok := strings.CutPrefix(u, "file://"); ok {
		p, err := url.PathUnescape(rest)
		if err != nil || !strings.HasPrefix(p, "/") {
			return "", false
		}
		return filepath.Clean(p), true
	}
	if strings.Contains(u, "://") {
		return "", false
	}
	if i := strings.IndexByte(u, ':'); i >= 0 && !strings.Contains(u[:i], "/") {
		return "", false
	}
	if rest, ok := strings.CutPrefix(u, "~/"); ok {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", false
		}
		u = filepath.Join(home, rest)
	}
	if !filepath.IsAbs(u) {
		u = filepath.Join(base, u)
	}
	return filepath.Clean(u), true
}

// resolveRemoteDir applies git's fallback to dir.git when dir does not
// exist (git-annex shows that name for a missing remote too).
func resolveRemoteDir(dir string) string {
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	return dir + ".git"
}

// isGitRepoDir reports whether dir itself (not a directory above it) is a
// git repository: a work tree with .git, or a git directory.
func isGitRepoDir(dir string) bool {
	if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
		return true
	}
	for _, f := range []string{"HEAD", "objects"} {
		if _, err := os.Stat(filepath.Join(dir, f)); errors.Is(err, fs.ErrNotExist) {
			return false
		}
	}
	return true
}
