package external

import (
	"context"

	"github.com/troveproject/trove/internal/extproto"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
)

// ClaimURL implements remote.URLClaimer with CLAIMURL; a helper that does not
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

// CheckURL implements remote.URLClaimer with CHECKURL. A single item's URL is
// url itself.
func (r *Remote) CheckURL(ctx context.Context, url string) ([]remote.URLContent, error) {
	var out []remote.URLContent
	var failure *string
	err := r.with(ctx, key.Key{}, func(j *job) error {
		return r.p.exchange(ctx, j, extproto.New(extproto.CheckURL, url), nil, func(m extproto.Message) verdict {
			switch m.Command {
			case extproto.CheckURLContents:
				sz, _ := extproto.ReadSize(m.Param(0))
				out = []remote.URLContent{{URL: url, Size: sz, File: m.Param(1)}}
			case extproto.CheckURLMulti:
				for _, u := range extproto.ParseURLMulti(m.Param(0)) {
					out = append(out, remote.URLContent(u))
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

var _ remote.URLClaimer = (*Remote)(nil)
