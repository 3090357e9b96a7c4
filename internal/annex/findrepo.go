package annex

import (
	"context"
	"fmt"
	"strings"

	"github.com/troveproject/trove/internal/uuid"
)

// UnknownRepoError reports a repository name that matches nothing.
type UnknownRepoError struct{ Name string }

func (e *UnknownRepoError) Error() string {
	return fmt.Sprintf("there is no available git remote named %q (see `git remote -v`, or give a repository's UUID or description from `git annex info`)", e.Name)
}

// FindRepo resolves how a user names a repository, as git-annex does:
// "here" or "." for this one, a git remote name, a UUID, or a description.
func (r *Repo) FindRepo(ctx context.Context, name string) (uuid.UUID, error) {
	if name == "here" || name == "." {
		return r.here, nil
	}
	for _, rem := range r.cfg.Remotes {
		if rem.Name == name && !rem.UUID.IsZero() {
			return rem.UUID, nil
		}
	}
	rs, err := r.Repos(ctx)
	if err != nil {
		return "", err
	}
	for _, k := range rs.All() {
		if string(k.UUID) == name {
			return k.UUID, nil
		}
	}
	for _, k := range rs.All() {
		if k.Description == name || strings.TrimSuffix(k.Label(), " [here]") == name {
			return k.UUID, nil
		}
	}
	return "", &UnknownRepoError{Name: name}
}
