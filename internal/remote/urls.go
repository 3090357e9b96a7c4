package remote

import "context"

// URLContent is one downloadable item a URL holds, as a remote's CHECKURL
// reports it: its URL, its size (-1 when unknown) and a suggested file
// name ("" = none).
type URLContent struct {
	URL  string
	Size int64
	File string
}

// URLClaimer is the ability of a remote to download some URLs itself
// (git-annex's claimUrl and checkUrl; external remotes answering
// CLAIMURL). `addurl` asks each remote that has it, cheapest first, and
// records a claimed URL as ":URL" with the claiming remote's UUID in the
// location log. Methods are safe for concurrent use.
type URLClaimer interface {
	// ClaimURL reports whether the remote handles url; an error means the
	// remote could not be asked.
	ClaimURL(ctx context.Context, url string) (bool, error)
	// CheckURL returns what url holds: one item, or several (a playlist,
	// a torrent). It errors when the remote cannot use url.
	CheckURL(ctx context.Context, url string) ([]URLContent, error)
}
