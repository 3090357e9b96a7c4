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
	// Described is set when uuid.log has an entry for the repository,
	// even an empty one (this repository always counts as described, as
	// in git-annex).
	Described  bool
	RemoteName string // the git remote with this UUID, if any
	Here       bool
	Trust      policy.TrustLevel
}

// Label is how git-annex names the repository (Remote.uuidDescriptions):
// the description with the remote's name added as "desc [name]", or
// "[name]" when the description is empty or equals the name; the bare
// remote name when uuid.log has no entry for it; the bare description
// when no remote has the UUID; "" when nothing is known. It says nothing
// of here: see HereLabel.
func (k KnownRepo) Label() string {
	switch {
	case k.RemoteName == "":
		return k.Description
	case !k.Described:
		return k.RemoteName
	case k.Description == "" || k.Description == k.RemoteName:
		return "[" + k.RemoteName + "]"
	}
	return k.Description + " [" + k.RemoteName + "]"
}

// HereLabel is the label git-annex lists the repository under in whereis,
// info and fsck (Remote.prettyPrintUUIDsWith): Label, with this
// repository marked as "desc [here]", "[here]" when its label is "here",
// or "here" alone when it has none.
func (k KnownRepo) HereLabel() string {
	return hereLabel(k.Label(), k.Here)
}

// hereLabel marks label as git-annex marks this repository's.
func hereLabel(label string, here bool) string {
	switch {
	case !here:
		return label
	case label == "":
		return "here"
	case label == "here":
		return "[here]"
	}
	return label + " [here]"
}

// Line is the repository as git-annex's prettyPrintUUIDs lists it, without
// the leading tab: "UUID -- label", or the bare UUID when it has no label.
func (k KnownRepo) Line() string {
	return uuidLine(k.UUID, k.HereLabel())
}

// uuidLine is "u -- label", or u alone when label is empty.
func uuidLine(u uuid.UUID, label string) string {
	if label == "" {
		return string(u)
	}
	return string(u) + " -- " + label
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
		k := get(u)
		k.Description, k.Described = d, true
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
	here := get(r.here)
	here.Here, here.Described = true, true
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
