package annex

import (
	"context"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/policy"
	"github.com/troveproject/trove/internal/uuid"
)

// queryEnv is the policy.Env of a repository: locations from the
// git-annex branch, trust from Repos, groups from group.log and numcopies
// from numcopies.log, loaded when the Env is made.
type queryEnv struct {
	r     *Repo
	repos *Repos

	groups  map[uuid.UUID][]string
	members map[string][]uuid.UUID
	numCopy policy.NumCopies
}

// PolicyEnv returns the repository as the Env that matching and
// preferred-content expressions are evaluated in. It is safe for
// concurrent use.
func (r *Repo) PolicyEnv(ctx context.Context) (policy.Env, error) {
	return r.queryEnv(ctx)
}

func (r *Repo) queryEnv(ctx context.Context) (*queryEnv, error) {
	rs, err := r.Repos(ctx)
	if err != nil {
		return nil, err
	}
	e := &queryEnv{r: r, repos: rs}
	if err := e.load(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

func (e *queryEnv) load(ctx context.Context) error {
	data, err := e.r.branch.Get(ctx, logs.GroupLog)
	if err != nil {
		return err
	}
	e.groups = map[uuid.UUID][]string{}
	e.members = map[string][]uuid.UUID{}
	for u, ent := range logs.ParseGroupLog(data) {
		e.groups[u] = ent.Value
		for _, g := range ent.Value {
			e.members[g] = append(e.members[g], u)
		}
	}
	nc, err := e.r.NumCopies(ctx)
	if err != nil {
		return err
	}
	e.numCopy = nc
	return nil
}

// NumCopies returns the numcopies setting: --numcopies is the caller's
// business; this is numcopies.log, else the deprecated annex.numcopies,
// else 1.
func (r *Repo) NumCopies(ctx context.Context) (policy.NumCopies, error) {
	data, err := r.branch.Get(ctx, logs.NumCopiesLog)
	if err != nil {
		return 0, err
	}
	if ent, ok := logs.ParseCopiesLog(data); ok {
		return policy.NumCopies(ent.Value), nil
	}
	if r.cfg.HasNumCopies {
		return policy.NumCopies(r.cfg.NumCopies), nil
	}
	return 1, nil
}

func (e *queryEnv) Here() uuid.UUID { return e.r.here }

func (e *queryEnv) InAnnex(_ context.Context, k key.Key) (bool, error) {
	return e.r.objects.Has(k)
}

func (e *queryEnv) Locations(ctx context.Context, k key.Key) ([]uuid.UUID, error) {
	return e.r.Locations(ctx, k)
}

func (e *queryEnv) TrustLevel(u uuid.UUID) policy.TrustLevel { return e.repos.Get(u).Trust }

func (e *queryEnv) Groups(u uuid.UUID) []string { return e.groups[u] }

func (e *queryEnv) GroupMembers(g string) []uuid.UUID { return e.members[g] }

func (e *queryEnv) NumCopies(context.Context, string, bool) (policy.NumCopies, error) {
	return e.numCopy, nil
}

func (e *queryEnv) MetaData(ctx context.Context, k key.Key) (map[string][]string, error) {
	data, err := e.r.branch.Get(ctx, logs.KeyLogPath(k, e.r.cfg.BranchHash1, logs.MetaDataExt))
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, f := range logs.CurrentMetaData(logs.ParseMetaLog(data)) {
		for _, v := range f.Values {
			if v.Set {
				out[f.Name] = append(out[f.Name], v.Value)
			}
		}
	}
	return out, nil
}

// Unused is false: the unused log is not consulted by query commands.
func (e *queryEnv) Unused(context.Context, key.Key) (bool, error) { return false, nil }

var _ policy.Env = (*queryEnv)(nil)
