package annex

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/policy"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// RepoInfo is what `git annex info` says about the repository as a whole.
type RepoInfo struct {
	// Trusted, SemiTrusted and UnTrusted list the known repositories by
	// trust level, sorted by UUID; dead ones are left out.
	Trusted, SemiTrusted, UnTrusted []Copy
	// DiskFree is the space available to the annex; DiskReserve is
	// annex.diskreserve. DiskFree is -1 when it cannot be determined.
	DiskFree, DiskReserve int64
	// The rest is left zero with Fast.
	LocalKeys    int   // keys in the local object store
	LocalSize    int64 // their total size
	Files        int   // annexed files in the work tree (index)
	FilesSize    int64 // their total size where known
	FilesUnknown int   // how many have no size in their key
	Backends     map[string]int
}

// RepoInfo gathers the repository's info; fast skips the counts that read
// the object store and the index.
func (r *Repo) RepoInfo(ctx context.Context, fast bool) (RepoInfo, error) {
	var info RepoInfo
	rs, err := r.Repos(ctx)
	if err != nil {
		return info, err
	}
	for _, kr := range rs.All() {
		c := Copy{UUID: kr.UUID, Description: kr.Label(), Here: kr.Here}
		switch kr.Trust {
		case policy.Trusted:
			info.Trusted = append(info.Trusted, c)
		case policy.SemiTrusted:
			info.SemiTrusted = append(info.SemiTrusted, c)
		case policy.UnTrusted:
			info.UnTrusted = append(info.UnTrusted, c)
		}
	}
	info.DiskReserve = r.cfg.DiskReserve
	info.DiskFree = -1
	var st syscall.Statfs_t
	if err := syscall.Statfs(r.objects.ObjectsDir(), &st); err == nil {
		info.DiskFree = int64(st.Bavail) * st.Bsize
	} else if err := syscall.Statfs(r.paths.Top, &st); err == nil {
		info.DiskFree = int64(st.Bavail) * st.Bsize
	}
	if fast {
		return info, nil
	}
	for k, err := range r.objects.Keys(ctx) {
		if err != nil {
			return info, fmt.Errorf("list %s: %w", r.objects.ObjectsDir(), err)
		}
		info.LocalKeys++
		info.LocalSize += k.Size
	}
	info.Backends = map[string]int{}
	err = r.Files(ctx, FilesOptions{}, func(f AnnexedFile, err error) error {
		if err != nil {
			return nil
		}
		info.Files++
		if f.Key.HasSize {
			info.FilesSize += f.Key.Size
		} else {
			info.FilesUnknown++
		}
		info.Backends[f.Key.Variety]++
		return nil
	})
	return info, err
}

// RepoUUIDInfo is what `git annex info REMOTE|UUID|here` says.
type RepoUUIDInfo struct {
	Repo KnownRepo
	// Description is the repository as whereis names it: "desc [remote]".
	Description string
	RemoteName  string
	Cost        float64
	HasCost     bool
	Type        string // special remote type from remote.log, or the remote's own ("git")
	// Fields are the remote's type-specific lines ("repository location"),
	// from its InfoReporter; nil when the remote cannot be opened.
	Fields []remote.InfoField
	Keys   int   // keys the location log says the repository has
	Size   int64 // their total size
}

// RepoUUIDInfo gathers what is known of repository u, counting its keys
// from every location log in the git-annex branch (one ls-tree and the
// branch's cat-file process).
func (r *Repo) RepoUUIDInfo(ctx context.Context, u uuid.UUID) (RepoUUIDInfo, error) {
	rs, err := r.Repos(ctx)
	if err != nil {
		return RepoUUIDInfo{}, err
	}
	kr := rs.Get(u)
	info := RepoUUIDInfo{Repo: kr, Description: kr.Label(), RemoteName: kr.RemoteName}
	if rem, ok := r.cfg.Remote(info.RemoteName); ok && info.RemoteName != "" {
		info.Cost, info.HasCost = rem.Cost, true
		if !rem.HasCost {
			info.Cost = 100
			if strings.Contains(rem.URL, ":") {
				info.Cost = 200
			}
		}
	}
	remoteLog, err := r.branch.Get(ctx, logs.RemoteLog)
	if err != nil {
		return info, err
	}
	if e, ok := logs.ParseRemoteLog(remoteLog)[u]; ok {
		info.Type = e.Value["type"]
	}
	if info.RemoteName != "" {
		if rm, err := r.Remote(ctx, info.RemoteName); err == nil {
			info.Cost, info.HasCost = rm.Cost(), true
			if ir, ok := rm.(remote.InfoReporter); ok {
				if info.Type == "" {
					info.Type = ir.Type()
				}
				info.Fields = ir.Info()
				if ir.Type() == "git" {
					info.Fields = append(info.Fields, remote.InfoField{Name: "last synced", Value: r.lastSynced(info.RemoteName)})
				}
			}
		}
	}
	sha, err := r.branch.Sha(ctx)
	if err != nil || sha == "" {
		return info, err
	}
	for e, err := range r.git.LsTree(ctx, sha) {
		if err != nil {
			return info, err
		}
		k, ok := logs.ParseLocationLogPath(e.Path, r.cfg.BranchHash1)
		if !ok {
			continue
		}
		locs, err := r.Locations(ctx, k)
		if err != nil {
			return info, err
		}
		for _, l := range locs {
			if l == u {
				info.Keys++
				info.Size += k.Size
				break
			}
		}
	}
	return info, nil
}

// FileInfo is what `git annex info FILE` says about an annexed file.
type FileInfo struct {
	Key     key.Key
	Present bool
}

// FileInfo returns the info of the annexed file at path (relative to the
// top); ok is false when path is not an annexed file.
func (r *Repo) FileInfo(ctx context.Context, path string) (FileInfo, bool, error) {
	k, ok, err := r.LookupKey(ctx, path)
	if err != nil || !ok {
		return FileInfo{}, ok, err
	}
	has, err := r.objects.Has(k)
	return FileInfo{Key: k, Present: has}, true, err
}

// lastSynced is what `git annex info` shows as a git remote's "last
// synced": the newest modification time of the loose refs under
// .git/refs/remotes/<name>/, in local time, or "never".
func (r *Repo) lastSynced(name string) string {
	var newest time.Time
	_ = filepath.WalkDir(filepath.Join(r.git.GitDir, "refs", "remotes", name), func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if fi, err := d.Info(); err == nil && fi.ModTime().After(newest) {
			newest = fi.ModTime()
		}
		return nil
	})
	if newest.IsZero() {
		return "never"
	}
	return newest.Local().Format("2006-01-02 15:04:05 MST")
}
