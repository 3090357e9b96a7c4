package external

import (
	"context"

	"github.com/troveproject/trove/internal/extproto"
	"github.com/troveproject/trove/internal/key"
)

// URLContent is one downloadable item a URL holds, as CHECKURL reports
// it: its URL, its size (-1 when unknown) and a suggested file name ("" =
// none).
type URLContent struct {
	URL  string
	Size int64
	File string
}

// URLClaimer is the ability of a remote to download some URLs itself
// (addurl, and whereis for recorded URIs). Proposed for internal/remote;
// until it moves there, addurl finds it by type assertion on this
// interface.
type URLClaimer interface {
	// ClaimURL reports whether the remote handles url.
	ClaimURL(ctx context.Context, url string) (bool, error)
	// CheckURL returns what url holds: one item, or several (a playlist,
	// a torrent). It errors when the remote cannot use url.
	CheckURL(ctx context.Context, url string) ([]URLContent, error)
}

// ClaimURL implements URLClaimer with CLAIMURL; a helper that does not
// support the request claims nothing.
func (r *Remote) ClaimURL(ctx context.Context, url string) (bool, error) {
	var claimed bool
	err := r.with(ctx, key.Key{}, func(j *job) error {
		return r.p.exchange(ctx, j, extproto.New(extproto.ClaimURL, url), nil, func(m extproto.Message) verdict {
			switch m.Command {
			case extproto.ClaimURLSuccess:
				claimed = true
			case extproto.ClaimURLFailure, extproto.UnsupportedRequest:
			default:
				return reject
			}
			return done
		})
	})
	return claimed, err
}

// CheckURL implements URLClaimer with CHECKURL. A single item's URL is
// url itself.
func (r *Remote) CheckURL(ctx context.Context, url string) ([]URLContent, error) {
	var out []URLContent
	var failure *string
	err := r.with(ctx, key.Key{}, func(j *job) error {
		return r.p.exchange(ctx, j, extproto.New(extproto.CheckURL, url), nil, func(m extproto.Message) verdict {
			switch m.Command {
			case extproto.CheckURLContents:
				sz, _ := extproto.ReadSize(m.Param(0))
				out = []URLContent{{URL: url, Size: sz, File: m.Param(1)}}
			case extproto.CheckURLMulti:
				for _, u := range extproto.ParseURLMulti(m.Param(0)) {
					out = append(out, URLContent(u))
				}
			case extproto.CheckURLFailure:
				msg := m.Param(0)
				failure = &msg
			default:
				return reject
			}
			return done
		})
	})
	if err != nil {
		return nil, err
	}
	if failure != nil {
		return nil, r.p.failed("CHECKURL "+url, *failure)
	}
	return out, nil
}

var _ URLClaimer = (*Remote)(nil)
