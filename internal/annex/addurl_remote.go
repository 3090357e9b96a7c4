package annex

import (
	"context"
	"fmt"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/objectstore"
	"github.com/troveproject/trove/internal/remote"
)

// claimer returns the first special remote, cheapest first, whose type
// claims rawURL (git-annex's claimingUrl); nil when none does and the web
// downloads it. A remote that cannot be asked is a warning, as a remote
// that does not claim.
func (a *URLAdder) claimer(ctx context.Context, rawURL string) (remote.Remote, remote.URLClaimer, error) {
	list, err := a.r.Remotes(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, rm := range list {
		s, ok := rm.(*specialRemote)
		if !ok {
			continue
		}
		c, ok := s.urlClaimer()
		if !ok {
			continue
		}
		claimed, err := c.ClaimURL(ctx, rawURL)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			a.r.warn("%s: cannot ask whether it handles %s: %v", s.name, rawURL, err)
			continue
		}
		if claimed {
			return rm, c, nil
		}
	}
	return nil, nil, nil
}

// addFromRemote is git-annex's addurl of a URL the special remote rm
// claims: CHECKURL gives the size and a file name, the content is
// downloaded by rm from a URL key (with the URL as the key's temporary
// URL, so the remote knows where to look), and ":URL" is recorded with
// rm's UUID. With Fast or Relaxed the URL key itself is added.
func (a *URLAdder) addFromRemote(ctx context.Context, rawURL string, o AddURLOptions, rm remote.Remote, c remote.URLClaimer, ev AddURLEvents) (AddURLResult, error) {
	items, err := c.CheckURL(ctx, rawURL)
	if err != nil {
		return AddURLResult{File: o.File}, err
	}
	switch len(items) {
	case 0:
		return AddURLResult{File: o.File}, fmt.Errorf("%s: the %s remote found nothing to download at this url", rawURL, rm.Name())
	case 1:
	default:
		return AddURLResult{File: o.File}, fmt.Errorf("%s holds %d files according to the %s remote; adding several files from one url is not supported yet (add each item's url, or use git-annex)", rawURL, len(items), rm.Name())
	}
	it := items[0]
	uri := it.URL
	if uri == "" {
		uri = rawURL
	}
	file, err := a.destination(uri, o, it.File, false)
	if err != nil {
		return AddURLResult{}, err
	}
	ev.Remote(rm.Name())
	res := AddURLResult{File: file}
	logURL := ":" + uri
	k, annexed, err := a.r.LookupKey(ctx, file)
	if err != nil {
		return res, err
	}
	if annexed {
		res.Key, res.Existing = k, true
		sameSize := it.Size < 0 || !k.HasSize || it.Size == k.Size
		return res, a.addChecked(ctx, file, k, logURL, rm.UUID(), true, sameSize, o.Relaxed, ev)
	}
	urlKey := backend.URLKey(uri, it.Size, it.Size >= 0)
	if o.Fast || o.Relaxed {
		if err := a.checkCanAdd(file); err != nil {
			return res, err
		}
		res.Key = urlKey
		return res, a.addWithoutContent(ctx, logURL, rm.UUID(), file, urlKey, ev)
	}
	if err := a.checkCanAdd(file); err != nil {
		return res, err
	}
	return a.fetchAndAdd(ctx, urlKey, file, logURL, rm.UUID(), ev, func(p *objectstore.Partial) error {
		done := a.r.setTempURL(urlKey, logURL)
		defer done()
		return rm.Retrieve(ctx, urlKey, p, ev.Meter)
	})
}
