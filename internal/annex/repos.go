package annex

import (
	"context"
	"sort"
	"sync"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/policy"
	"github.com/troveproject/trove/internal/uuid"
)

// trustLogPath is the branch file of trust levels.
const trustLogPath = "trust.log"

// KnownRepo is a repository the git-annex branch or git config knows of.
type KnownRepo struct {
	UUID        uuid.UUID
	Description string // from uuid.log; "" when none is recorded
	RemoteName  string // the git remote with this UUID, if any
	Here        bool
	Trust       policy.TrustLevel
}

// Label is how git-annex names the repository in whereis and info:
// "desc [remote]", "[remote]", or the description alone for here.
func (k KnownRepo) Label() string {
	switch {
	case k.RemoteName != "" && k.Description != "":
		return k.Description + " [" + k.RemoteName + "]"
	case k.RemoteName != "":
		return "[" + k.RemoteName + "]"
	}
	return k.Description
}

// Repos is the set of known repositories, loaded once per command.
type Repos struct {
	byUUID map[uuid.UUID]*KnownRepo
}

// Get returns what is known of u; unknown repositories are semitrusted and
// have no description.
func (rs *Repos) Get(u uuid.UUID) KnownRepo {
	if k, ok := rs.byUUID[u]; ok {
		return *k
	}
	return KnownRepo{UUID: u, Trust: policy.SemiTrusted}
}

// All returns every known repository, sorted by UUID.
func (rs *Repos) All() []KnownRepo {
	out := make([]KnownRepo, 0, len(rs.byUUID))
	for _, k := range rs.byUUID {
		out = append(out, *k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UUID < out[j].UUID })
	return out
}

// reposCache holds the command's Repos.
type reposCache struct {
	once sync.Once
	rs   *Repos
	err  error
}

// Repos returns the known repositories: uuid.log descriptions, trust.log
// levels (overridden by remote.<name>.annex-trustlevel), git remote names,
// the web remote and this repository.
func (r *Repo) Repos(ctx context.Context) (*Repos, error) {
	r.repos.once.Do(func() { r.repos.rs, r.repos.err = r.loadRepos(ctx) })
	return r.repos.rs, r.repos.err
}

func (r *Repo) loadRepos(ctx context.Context) (*Repos, error) {
	rs := &Repos{byUUID: map[uuid.UUID]*KnownRepo{}}
	get := func(u uuid.UUID) *KnownRepo {
		k, ok := rs.byUUID[u]
		if !ok {
			k = &KnownRepo{UUID: u, Trust: policy.SemiTrusted}
			rs.byUUID[u] = k
		}
		return k
	}
	descs, err := r.Descriptions(ctx)
	if err != nil {
		return nil, err
	}
	for u, d := range descs {
		get(u).Description = d
	}
	if _, ok := descs[uuid.Web]; !ok {
		get(uuid.Web).Description = "web"
	}
	if _, ok := descs[uuid.BitTorrent]; !ok {
		get(uuid.BitTorrent).Description = "bittorrent"
	}
	trust, err := r.branch.Get(ctx, trustLogPath)
	if err != nil {
		return nil, err
	}
	for u, e := range logs.ParseTrustLog(trust) {
		get(u).Trust = policy.ParseTrustLogValue(e.Value.String())
	}
	for _, rem := range r.cfg.Remotes {
		if rem.UUID.IsZero() {
			continue
		}
		k := get(rem.UUID)
		k.RemoteName = rem.Name
		if rem.TrustLevel != "" {
			if t, ok := policy.ParseTrustLevel(rem.TrustLevel); ok {
				k.Trust = t
			}
		}
	}
	get(r.here).Here = true
	if err := r.untrustExports(ctx, rs); err != nil {
		return nil, err
	}
	return rs, nil
}

// Locations returns the repositories the location log says have k.
func (r *Repo) Locations(ctx context.Context, k key.Key) ([]uuid.UUID, error) {
	data, err := r.branch.Get(ctx, logs.LocationLogPath(k, r.cfg.BranchHash1))
	if err != nil {
		return nil, err
	}
	return presentUUIDs(data), nil
}

// FileLocations is Locations of f's key, using the location log
// FilesWithLocations read ahead when f came from there.
func (r *Repo) FileLocations(ctx context.Context, f AnnexedFile) ([]uuid.UUID, error) {
	if f.hasLocationLog {
		return presentUUIDs(f.locationLog), nil
	}
	return r.Locations(ctx, f.Key)
}

// presentUUIDs are the repositories a location log says have the key.
func presentUUIDs(data []byte) []uuid.UUID {
	infos := logs.PresentInfos(logs.ParsePresence(data))
	out := make([]uuid.UUID, len(infos))
	for i, s := range infos {
		out[i] = uuid.UUID(s)
	}
	return out
}

// URLs returns the URLs recorded for k in its web log.
func (r *Repo) URLs(ctx context.Context, k key.Key) ([]string, error) {
	data, err := r.branch.Get(ctx, logs.KeyLogPath(k, r.cfg.BranchHash1, logs.URLExt))
	if err != nil {
		return nil, err
	}
	return logs.PresentInfos(logs.ParsePresence(data)), nil
}
