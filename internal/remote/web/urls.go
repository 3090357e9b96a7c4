package web

import "strings"

// Downloader is how a URL recorded in a .log.web file is fetched, from
// its prefix (git-annex's Logs.Web.getDownloader).
type Downloader int

// The downloaders git-annex knows.
const (
	// WebDownloader: a plain URL, the web remote's.
	WebDownloader Downloader = iota
	// YoutubeDownloader: "yt:" (or legacy "quvi:") + URL, for yt-dlp.
	YoutubeDownloader
	// OtherDownloader: ":" + URI claimed by another special remote.
	OtherDownloader
)

// SplitDownloader returns the URL without its downloader prefix and the
// downloader it names.
func SplitDownloader(logged string) (string, Downloader) {
	prefix, rest, ok := strings.Cut(logged, ":")
	if !ok {
		return logged, WebDownloader
	}
	switch prefix {
	case "yt", "quvi":
		return rest, YoutubeDownloader
	case "":
		return rest, OtherDownloader
	}
	return logged, WebDownloader
}

// WithDownloader returns u as it is recorded for downloader d.
func WithDownloader(u string, d Downloader) string {
	switch d {
	case YoutubeDownloader:
		return "yt:" + u
	case OtherDownloader:
		return ":" + u
	}
	return u
}

// IsWebURL reports whether a logged URL is one the web remote counts as a
// copy (web or yt-dlp downloads, not other remotes' URIs).
func IsWebURL(logged string) bool {
	_, d := SplitDownloader(logged)
	return d != OtherDownloader
}

// webURLs keeps the plain web URLs of a key's logged URLs (yt-dlp URLs
// are left out: Trove does not run yt-dlp).
func webURLs(logged []string) []string {
	var out []string
	for _, l := range logged {
		if u, d := SplitDownloader(l); d == WebDownloader {
			out = append(out, u)
		}
	}
	return out
}
