package web

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// Name is the web remote's name.
const Name = "web"

// Remote is the web special remote. It is safe for concurrent use.
type Remote struct {
	name   string
	u      uuid.UUID
	h      remote.Host
	c      *Client
	cost   float64
	filter func(url string) bool // urlinclude/urlexclude of sameas remotes
}

// New returns the built-in web remote (uuid.Web) reading URLs through h.
func New(h remote.Host, opts Options) *Remote {
	cost := opts.Cost
	if cost == 0 {
		cost = remote.ExpensiveCost
	}
	return &Remote{name: Name, u: uuid.Web, h: h, c: NewClient(opts), cost: cost, filter: func(string) bool { return true }}
}

// Type is the "web" type for `initremote --sameas=web NAME type=web
// urlinclude=GLOB urlexclude=GLOB`: extra web remotes that own a subset of
// the URLs.
var Type = &remote.Type{
	Name:        "web",
	DefaultCost: remote.ExpensiveCost,
	Setup: func(ctx context.Context, mode remote.SetupMode, u uuid.UUID, cfg remote.Config, h remote.Host) (remote.SetupResult, error) {
		for _, f := range []string{"urlinclude", "urlexclude"} {
			if _, err := globRegexp(cfg.Get(f, "")); err != nil {
				return remote.SetupResult{}, fmt.Errorf("%s=%s: %w", f, cfg[f], err)
			}
		}
		return remote.SetupResult{Config: cfg, GitConfig: map[string]string{"annex-web": "true"}}, nil
	},
	New: func(ctx context.Context, p remote.Params) (remote.Remote, error) {
		opts := ConfigOptions(p.Host.GitConfig)
		opts.Cost = p.Cost
		r := New(p.Host, opts)
		r.name, r.u = p.Name, p.UUID
		inc, err := globRegexp(p.Config.Get("urlinclude", ""))
		if err != nil {
			return nil, fmt.Errorf("remote %s: urlinclude: %w", p.Name, err)
		}
		exc, err := globRegexp(p.Config.Get("urlexclude", ""))
		if err != nil {
			return nil, fmt.Errorf("remote %s: urlexclude: %w", p.Name, err)
		}
		r.filter = func(u string) bool {
			return (inc == nil || inc.MatchString(u)) && (exc == nil || !exc.MatchString(u))
		}
		return r, nil
	},
}

// globRegexp compiles a git-annex glob (case-insensitive; * and ? match
// any characters including /), or returns nil for "".
func globRegexp(glob string) (*regexp.Regexp, error) {
	if glob == "" {
		return nil, nil
	}
	var b strings.Builder
	b.WriteString("(?is)^")
	for _, r := range glob {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// Name implements remote.Remote.
func (r *Remote) Name() string { return r.name }

// UUID implements remote.Remote.
func (r *Remote) UUID() uuid.UUID { return r.u }

// Cost implements remote.Remote.
func (r *Remote) Cost() float64 { return r.cost }

// Client returns the remote's downloader.
func (r *Remote) Client() *Client { return r.c }

// urls returns the web URLs recorded for k that this remote handles.
func (r *Remote) urls(ctx context.Context, k key.Key) ([]string, error) {
	logged, err := r.h.URLs(ctx, k, "")
	if err != nil {
		return nil, fmt.Errorf("web: urls of %s: %w", k, err)
	}
	var out []string
	for _, u := range webURLs(logged) {
		if r.filter(u) {
			out = append(out, u)
		}
	}
	return out, nil
}

// Store implements remote.Remote: the web cannot be uploaded to.
func (r *Remote) Store(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	return fmt.Errorf("upload to web not supported: %w", remote.ErrUnsupported)
}

// Retrieve implements remote.Remote: it tries each recorded URL in turn
// until one gives content of the key's size (when the key records one).
// Without URLs the error wraps remote.ErrNotPresent.
func (r *Remote) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	urls, err := r.urls(ctx, k)
	if err != nil {
		return err
	}
	if len(urls) == 0 {
		return fmt.Errorf("no known url for %s: %w", k, remote.ErrNotPresent)
	}
	var errs []error
	for _, u := range urls {
		err := r.c.Download(ctx, u, dst, m)
		if err == nil && k.HasSize && dst.Offset() != k.Size {
			err = fmt.Errorf("%s: got %d bytes, expected %d", u, dst.Offset(), k.Size)
			if rerr := dst.Restart(); rerr != nil {
				return errors.Join(err, rerr)
			}
		}
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		errs = append(errs, err)
	}
	err = fmt.Errorf("downloading from all %d known url(s) failed: %w", len(urls), errors.Join(errs...))
	var se *SecurityError
	if errors.As(err, &se) {
		err = remote.Permanent(err)
	}
	return err
}

// CheckPresent implements remote.Remote: a key is on the web when one of
// its URLs exists with the key's size. As git-annex, when no URL answers
// yes, the outcome of the last one decides (an error there is returned).
func (r *Remote) CheckPresent(ctx context.Context, k key.Key) (bool, error) {
	urls, err := r.urls(ctx, k)
	if err != nil || len(urls) == 0 {
		return false, err
	}
	var last error
	for _, u := range urls {
		info, err := r.c.Info(ctx, u)
		if err == nil && info.Exists && (info.Size < 0 || !k.HasSize || info.Size == k.Size) {
			return true, nil
		}
		last = err
	}
	return false, last
}

// Remove implements remote.Remote as git-annex's web remote does: the
// content cannot be deleted, so the key's URLs are recorded as missing.
func (r *Remote) Remove(ctx context.Context, k key.Key) error {
	urls, err := r.urls(ctx, k)
	if err != nil {
		return err
	}
	for _, u := range urls {
		if err := r.h.SetURLMissing(ctx, k, u); err != nil {
			return fmt.Errorf("web: forget %s for %s: %w", u, k, err)
		}
	}
	return nil
}

// Whereis implements remote.Whereiser: the key's URLs.
func (r *Remote) Whereis(ctx context.Context, k key.Key) ([]string, error) {
	return r.urls(ctx, k)
}

// Type implements remote.InfoReporter.
func (r *Remote) Type() string { return "web" }

// Info implements remote.InfoReporter; the web has no settings to show.
func (r *Remote) Info() []remote.InfoField { return nil }

var (
	_ remote.Remote       = (*Remote)(nil)
	_ remote.Whereiser    = (*Remote)(nil)
	_ remote.InfoReporter = (*Remote)(nil)
)
