package annex

import (
	"context"
	"fmt"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote/web"
)

// RegisterURL records url for k as `git annex registerurl` does. URLs
// claimed by other special remotes are recorded as the web's (Trove's
// remotes claim no URLs yet).
func (r *Repo) RegisterURL(ctx context.Context, k key.Key, url string) error {
	if err := validURL(url); err != nil {
		return err
	}
	return r.SetURLPresent(ctx, k, url)
}

// UnregisterURL forgets url for k whatever downloader recorded it (plain,
// "yt:", ":"), as `git annex unregisterurl` and `rmurl` do.
func (r *Repo) UnregisterURL(ctx context.Context, k key.Key, url string) error {
	for _, d := range []web.Downloader{web.WebDownloader, web.YoutubeDownloader, web.OtherDownloader} {
		if err := r.SetURLMissing(ctx, k, web.WithDownloader(url, d)); err != nil {
			return err
		}
	}
	// The legacy "quvi:" prefix.
	return r.SetURLMissing(ctx, k, "quvi:"+url)
}

// validURL refuses URLs that cannot be a log line.
func validURL(url string) error {
	for _, c := range url {
		if c == '\n' || c == '\r' {
			return fmt.Errorf("url %q contains a line break", url)
		}
	}
	if url == "" {
		return fmt.Errorf("empty url")
	}
	return nil
}
