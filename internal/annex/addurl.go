package annex

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/objectstore"
	"github.com/troveproject/trove/internal/pointer"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote/web"
	"github.com/troveproject/trove/internal/uuid"
)

// AddURLOptions are the choices of `git annex addurl` for one URL.
type AddURLOptions struct {
	// File is the destination relative to the top (--file); "" derives
	// it from the URL.
	File string
	// Fast (--fast) and Relaxed (--relaxed) add a URL key without
	// downloading; Relaxed does not even ask the server.
	Fast, Relaxed bool
	// PathDepth (with HasPathDepth) is --pathdepth.
	PathDepth    int
	HasPathDepth bool
	// Prefix and Suffix are added to a derived or given file name.
	Prefix, Suffix string
	// Raw (--raw) downloads with the web remote even when a special
	// remote claims the URL.
	Raw bool
}

// AddURLResult is what addurl did with one URL.
type AddURLResult struct {
	// File is the destination relative to the top ("" when the command
	// failed before choosing it).
	File string
	// Key is the file's key (zero when the content went to git).
	Key key.Key
	// InGit is set when the downloaded file was small and went to git.
	InGit bool
	// Existing is set when File was already annexed and only the URL was
	// added to its key.
	Existing bool
}

// AddURLEvents are the optional callbacks of URLAdder.Add.
type AddURLEvents struct {
	// Meter receives download progress (nil = none).
	Meter progress.Meter
	// Destination is called once the destination file is known, before
	// it is written (git-annex shows "(to FILE)" then).
	Destination func(file string)
	// Remote is called with the name of the special remote that claimed
	// the URL, before Destination (git-annex shows "(from NAME)").
	Remote func(name string)
}

// URLAdder adds files from URLs, as `git annex addurl` does. Its work
// tree changes are staged by Close. Add is safe for concurrent use with
// distinct destinations.
type URLAdder struct {
	r      *Repo
	b      *backend.Backend
	lf     *largeFiles
	st     *stager
	client *web.Client
}

// NewURLAdder returns a URLAdder using backendName ("" = annex.backend)
// and the repository's web security settings. Close it.
func (r *Repo) NewURLAdder(ctx context.Context, backendName string) (*URLAdder, error) {
	if r.git.Top == "" {
		return nil, errors.New("addurl: this is a bare repository; run addurl in a clone with a work tree")
	}
	b, err := r.backendFor(backendName)
	if err != nil {
		return nil, err
	}
	lf, err := r.newLargeFiles(ctx, false, false)
	if err != nil {
		return nil, err
	}
	st, err := r.newStager(ctx)
	if err != nil {
		lf.close()
		return nil, err
	}
	return &URLAdder{r: r, b: b, lf: lf, st: st, client: web.NewClient(r.WebOptions())}, nil
}

// Close stages what was added and reports whether the index changed.
func (a *URLAdder) Close(ctx context.Context) (bool, error) {
	defer a.lf.close()
	defer a.st.close()
	n := a.st.pending()
	return n > 0, a.st.flush(context.WithoutCancel(ctx))
}

// Add adds rawURL: downloads it into the annex under a key of the
// configured backend (or records a URL key without downloading, with
// Fast or Relaxed), makes the destination file, and records the URL in
// the key's url log and the web in its location log. A URL that a
// special remote claims (unless Raw) is checked and downloaded by that
// remote instead, and recorded as ":URL" with the remote in the location
// log, as git-annex does. A destination that
// is already annexed gets the URL added to its key after checking that
// the URL has content of the key's size. The error says why the URL was
// not added, in git-annex's words (a *web.SecurityError when the
// security settings refuse the URL); a failed download keeps what arrived
// in .git/annex/tmp for the next attempt.
func (a *URLAdder) Add(ctx context.Context, rawURL string, o AddURLOptions, ev AddURLEvents) (AddURLResult, error) {
	if ev.Meter == nil {
		ev.Meter = progress.Discard
	}
	if ev.Destination == nil {
		ev.Destination = func(string) {}
	}
	if ev.Remote == nil {
		ev.Remote = func(string) {}
	}
	if u, err := url.Parse(rawURL); err != nil || u.Scheme == "" {
		return AddURLResult{File: o.File}, fmt.Errorf("bad url %s", rawURL)
	}
	if !o.Raw {
		rm, c, err := a.claimer(ctx, rawURL)
		if err != nil {
			return AddURLResult{File: o.File}, err
		}
		if c != nil {
			return a.addFromRemote(ctx, rawURL, o, rm, c, ev)
		}
	}
	info := web.URLInfo{Exists: true, Size: -1}
	if !o.Relaxed {
		var err error
		if info, err = a.client.Info(ctx, rawURL); err != nil {
			return AddURLResult{File: o.File}, err
		}
	}
	file, err := a.destination(rawURL, o, info.SuggestedFile, true)
	if err != nil {
		return AddURLResult{File: o.File}, err
	}
	res := AddURLResult{File: file}
	k, annexed, err := a.r.LookupKey(ctx, file)
	if err != nil {
		return res, err
	}
	if annexed {
		res.Key, res.Existing = k, true
		sameSize := (info.Size < 0 && !k.HasSize) || (info.Size >= 0 && k.HasSize && info.Size == k.Size)
		return res, a.addChecked(ctx, file, k, rawURL, uuid.Web, info.Exists, sameSize, o.Relaxed, ev)
	}
	if o.Fast || o.Relaxed {
		if !info.Exists {
			return res, fmt.Errorf("unable to access url: %s", rawURL)
		}
		res.Key = backend.URLKey(rawURL, info.Size, info.Size >= 0)
		return res, a.addWithoutContent(ctx, rawURL, uuid.Web, file, res.Key, ev)
	}
	return a.download(ctx, rawURL, file, info, ev)
}

// destination chooses the work tree file for a URL: the --file option,
// else the name the web server or the claiming special remote suggests
// (sanitized), else a name made from nameURL (URLFileName); then --prefix
// and --suffix. A suggested name is passed over when unlessExists is set
// and a file of that name exists, as git-annex does for the web (startWeb)
// but not for a special remote's CHECKURL name (checkUrl).
func (a *URLAdder) destination(nameURL string, o AddURLOptions, suggested string, unlessExists bool) (string, error) {
	file := o.File
	if file == "" && suggested != "" {
		file = truncateName(SanitizeFileName(suggested), maxFileNameBytes)
		if unlessExists {
			if _, err := os.Lstat(a.r.paths.Abs(file)); err == nil {
				file = ""
			}
		}
	}
	if file == "" {
		var err error
		if file, err = URLFileName(nameURL, o.PathDepth, o.HasPathDepth); err != nil {
			return "", err
		}
	}
	return o.Prefix + file + o.Suffix, nil
}

// addChecked is git-annex's addUrlChecked: it records logURL for the
// already annexed k and u as having it, when the URL exists and has k's
// size (or relaxed), unless both are recorded already.
func (a *URLAdder) addChecked(ctx context.Context, file string, k key.Key, logURL string, u uuid.UUID, exists, sameSize, relaxed bool, ev AddURLEvents) error {
	urls, err := a.r.URLs(ctx, k)
	if err != nil {
		return err
	}
	locs, err := a.r.Locations(ctx, k)
	if err != nil {
		return err
	}
	shown := strings.TrimPrefix(logURL, ":")
	if slices.Contains(urls, logURL) && slices.Contains(locs, u) {
		ev.Destination(file)
		return nil
	}
	switch {
	case !exists:
		return fmt.Errorf("while adding a new url to an already annexed file, failed to verify url exists: %s", shown)
	case !sameSize && !relaxed:
		return fmt.Errorf("while adding a new url to an already annexed file, url does not have expected file size (use --relaxed to bypass this check) %s", shown)
	}
	return a.recordURL(ctx, k, logURL, u)
}

// recordURL records logURL for k and u (the web, or the special remote
// that claimed the URL) as having k.
func (a *URLAdder) recordURL(ctx context.Context, k key.Key, logURL string, u uuid.UUID) error {
	if err := a.r.SetURLPresent(ctx, k, logURL); err != nil {
		return err
	}
	return a.r.logLocation(ctx, k, u, logs.Present)
}

// checkCanAdd refuses to overwrite an existing file.
func (a *URLAdder) checkCanAdd(file string) error {
	if _, err := os.Lstat(a.r.paths.Abs(file)); err == nil {
		return fmt.Errorf("%s already exists; not overwriting", file)
	}
	return nil
}

// addWithoutContent makes file point at k, whose content is not here but
// at logURL on u.
func (a *URLAdder) addWithoutContent(ctx context.Context, logURL string, u uuid.UUID, file string, k key.Key, ev AddURLEvents) error {
	if err := a.checkCanAdd(file); err != nil {
		return err
	}
	ev.Destination(file)
	abs := a.r.paths.Abs(file)
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return fmt.Errorf("addurl %s: %w", file, err)
	}
	if err := a.recordURL(ctx, k, logURL, u); err != nil {
		return err
	}
	size := k.Size
	if !k.HasSize {
		size = -1
	}
	if a.lf.addUnlocked(file, size) {
		content := pointer.File(k)
		if err := os.WriteFile(abs, content, 0o644); err != nil {
			return fmt.Errorf("addurl %s: %w", file, err)
		}
		return a.st.addBlob(ctx, file, "100644", content)
	}
	target, err := a.r.placeLink(file, k)
	if err != nil {
		return fmt.Errorf("addurl %s: %w", file, err)
	}
	return a.st.addBlob(ctx, file, "120000", []byte(target))
}

// download fetches rawURL into the temporary file of its URL key (where
// an interrupted download resumes), then adds it (see addDownloaded).
func (a *URLAdder) download(ctx context.Context, rawURL, file string, info web.URLInfo, ev AddURLEvents) (AddURLResult, error) {
	tmpKey := backend.URLKey(rawURL, info.Size, info.Size >= 0)
	return a.fetchAndAdd(ctx, tmpKey, file, rawURL, uuid.Web, ev, func(p *objectstore.Partial) error {
		return a.client.Download(ctx, rawURL, p, ev.Meter)
	})
}

// fetchAndAdd runs fetch into the temporary file of tmpKey (kept for a
// resume when it fails), then adds the file as `add` would a new one:
// annexed, or to git when annex.largefiles says it is small; logURL and u
// are recorded for the annexed key.
func (a *URLAdder) fetchAndAdd(ctx context.Context, tmpKey key.Key, file, logURL string, u uuid.UUID, ev AddURLEvents, fetch func(p *objectstore.Partial) error) (AddURLResult, error) {
	res := AddURLResult{File: file}
	p, err := a.r.objects.OpenPartial(ctx, tmpKey)
	if err != nil {
		return res, err
	}
	err = fetch(p)
	if cerr := p.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return res, err
	}
	if err := a.checkCanAdd(file); err != nil {
		return res, err
	}
	ev.Destination(file)
	abs := a.r.paths.Abs(file)
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return res, fmt.Errorf("addurl %s: %w", file, err)
	}
	if err := os.Rename(p.Path(), abs); err != nil {
		return res, fmt.Errorf("addurl %s: %w", file, err)
	}
	fi, err := os.Lstat(abs)
	if err != nil {
		return res, fmt.Errorf("addurl %s: %w", file, err)
	}
	large, err := a.lf.isLarge(ctx, file, fi.Size())
	if err != nil {
		return res, err
	}
	if !large {
		res.InGit = true
		return res, a.st.addPath(file)
	}
	var ad added
	if a.lf.addUnlocked(file, fi.Size()) {
		ad, err = a.r.addUnlocked(ctx, file, fi, a.b, a.st)
	} else {
		ad, err = a.r.addLocked(ctx, file, fi, a.b, a.st)
	}
	if err != nil {
		return res, fmt.Errorf("addurl %s: %w", file, err)
	}
	res.Key = ad.key
	return res, a.recordURL(ctx, ad.key, logURL, u)
}
