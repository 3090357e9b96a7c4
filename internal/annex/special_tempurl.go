package annex

import "github.com/troveproject/trove/internal/key"

// setTempURL makes url the first URL special remotes see for k (Host.URLs)
// until the returned function is called, as git-annex's setTempUrl: addurl
// tells the claiming remote which URL to download a URL key from before
// the URL is recorded. Safe for concurrent use.
func (r *Repo) setTempURL(k key.Key, url string) (remove func()) {
	ks := k.String()
	r.remotes.mu.Lock()
	defer r.remotes.mu.Unlock()
	if r.remotes.tempURLs == nil {
		r.remotes.tempURLs = map[string]string{}
	}
	r.remotes.tempURLs[ks] = url
	return func() {
		r.remotes.mu.Lock()
		defer r.remotes.mu.Unlock()
		delete(r.remotes.tempURLs, ks)
	}
}

// tempURL returns the temporary URL of k set by setTempURL.
func (r *Repo) tempURL(k key.Key) (string, bool) {
	r.remotes.mu.Lock()
	defer r.remotes.mu.Unlock()
	u, ok := r.remotes.tempURLs[k.String()]
	return u, ok
}
