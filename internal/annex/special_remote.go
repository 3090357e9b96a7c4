package annex

import (
	"context"
	"fmt"
	"strings"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// specialRemote is an opened special remote as the repository sees it:
// the type's remote (with its decorators) under the git remote's name,
// data UUID and cost, refusing changes when annex-readonly is set. It
// always offers InfoReporter, Whereiser, Availabler and Closer, delegating
// to the remote below when it has them.
type specialRemote struct {
	remote.Remote
	base     remote.Remote // the type's remote, below the decorators
	name     string
	uuid     uuid.UUID
	cost     float64
	readOnly bool
	typ      string
	cfg      remote.Config
}

var (
	_ remote.Remote       = (*specialRemote)(nil)
	_ remote.InfoReporter = (*specialRemote)(nil)
	_ remote.Whereiser    = (*specialRemote)(nil)
	_ remote.Availabler   = (*specialRemote)(nil)
	_ remote.Closer       = (*specialRemote)(nil)
)

// Name implements remote.Remote.
func (s *specialRemote) Name() string { return s.name }

// UUID implements remote.Remote: the data UUID.
func (s *specialRemote) UUID() uuid.UUID { return s.uuid }

// Cost implements remote.Remote.
func (s *specialRemote) Cost() float64 { return s.cost }

// Store implements remote.Remote; read-only remotes refuse.
func (s *specialRemote) Store(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	if s.readOnly {
		return s.readOnlyError()
	}
	return s.Remote.Store(ctx, k, src, m)
}

// Remove implements remote.Remote; read-only remotes refuse.
func (s *specialRemote) Remove(ctx context.Context, k key.Key) error {
	if s.readOnly {
		return s.readOnlyError()
	}
	return s.Remote.Remove(ctx, k)
}

func (s *specialRemote) readOnlyError() error {
	return fmt.Errorf("remote %s is read-only (annex-readonly is set; run `git config --unset remote.%s.annex-readonly` to allow changes): %w", s.name, s.name, remote.ErrReadOnly)
}

// Type implements remote.InfoReporter: the type= of remote.log.
func (s *specialRemote) Type() string { return s.typ }

// Info implements remote.InfoReporter: the type's own fields, then
// encryption and chunking as git-annex's info shows them.
func (s *specialRemote) Info() []remote.InfoField {
	var out []remote.InfoField
	seen := map[string]bool{}
	if ir, ok := s.Remote.(remote.InfoReporter); ok {
		for _, f := range ir.Info() {
			out = append(out, f)
			seen[f.Name] = true
		}
	}
	if !seen["encryption"] {
		out = append(out, remote.InfoField{Name: "encryption", Value: describeEncryption(s.cfg)})
	}
	if !seen["chunking"] {
		out = append(out, remote.InfoField{Name: "chunking", Value: describeChunking(s.cfg)})
	}
	return out
}

// Whereis implements remote.Whereiser; nil when the remote below cannot
// say.
func (s *specialRemote) Whereis(ctx context.Context, k key.Key) ([]string, error) {
	if w, ok := s.Remote.(remote.Whereiser); ok {
		return w.Whereis(ctx, k)
	}
	return nil, nil
}

// Availability implements remote.Availabler.
func (s *specialRemote) Availability() remote.Availability {
	if a, ok := s.Remote.(remote.Availabler); ok {
		return a.Availability()
	}
	return remote.GloballyAvailable
}

// Close implements remote.Closer.
func (s *specialRemote) Close(ctx context.Context) error {
	if c, ok := s.Remote.(remote.Closer); ok {
		return c.Close(ctx)
	}
	return nil
}

// urlClaimer returns the type's remote as a URLClaimer, when it is one
// (external remotes answering CLAIMURL).
func (s *specialRemote) urlClaimer() (remote.URLClaimer, bool) {
	c, ok := s.base.(remote.URLClaimer)
	return c, ok
}

// Unwrap returns the remote below (the type's remote with its
// decorators).
func (s *specialRemote) Unwrap() remote.Remote { return s.Remote }

// specialWhereis is what the special remote with data UUID u says about
// where on it k is: the ":"-URLs of k's url log that the remote claims,
// then its Whereiser's answer, with its name (git-annex's getRemoteUrls
// and whereisKey); nothing when u is no special remote configured here
// or it cannot say. Git remotes are not opened for it.
func (r *Repo) specialWhereis(ctx context.Context, k key.Key, u uuid.UUID) (string, []string) {
	special := false
	for _, rem := range r.cfg.Remotes {
		special = special || (rem.URL == "" && rem.UUID == u)
	}
	if !special {
		return "", nil
	}
	list, err := r.Remotes(ctx)
	if err != nil {
		return "", nil
	}
	for _, rm := range list {
		s, ok := rm.(*specialRemote)
		if !ok || s.uuid != u {
			continue
		}
		urls := r.claimedURLs(ctx, k, s)
		more, err := s.Whereis(ctx, k)
		if err != nil {
			r.warn("whereis on %s: %v", s.name, err)
		}
		return s.name, append(urls, more...)
	}
	return "", nil
}

// claimedURLs are the URLs recorded for k as downloaded by a special
// remote (":URL") that s claims, without the ":".
func (r *Repo) claimedURLs(ctx context.Context, k key.Key, s *specialRemote) []string {
	c, ok := s.urlClaimer()
	if !ok {
		return nil
	}
	all, err := r.URLs(ctx, k)
	if err != nil {
		return nil
	}
	var out []string
	for _, u := range all {
		if !strings.HasPrefix(u, ":") {
			continue
		}
		u = strings.TrimPrefix(u, ":")
		if claimed, err := c.ClaimURL(ctx, u); err == nil && claimed {
			out = append(out, u)
		}
	}
	return out
}
