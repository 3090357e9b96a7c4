package annex

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
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
// the key's url log and the web in its location log. A destination that
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
	if u, err := url.Parse(rawURL); err != nil || u.Scheme == "" {
		return AddURLResult{File: o.File}, fmt.Errorf("bad url %s", rawURL)
	}
	info := web.URLInfo{Exists: true, Size: -1}
	if !o.Relaxed {
		var err error
		if info, err = a.client.Info(ctx, rawURL); err != nil {
			return AddURLResult{File: o.File}, err
		}
	}
	file, err := a.destination(rawURL, o, info)
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
		return res, a.addToExisting(ctx, rawURL, file, k, o, info, ev)
	}
	if o.Fast || o.Relaxed {
		if !info.Exists {
			return res, fmt.Errorf("unable to access url: %s", rawURL)
		}
		res.Key = backend.URLKey(rawURL, info.Size, info.Size >= 0)
		return res, a.addWithoutContent(ctx, rawURL, file, res.Key, ev)
	}
	return a.download(ctx, rawURL, file, info, ev)
}

// destination chooses the work tree file for rawURL.
func (a *URLAdder) destination(rawURL string, o AddURLOptions, info web.URLInfo) (string, error) {
	file := o.File
	if file == "" && info.SuggestedFile != "" {
		file = truncateName(SanitizeFileName(info.SuggestedFile), maxFileNameBytes)
		if _, err := os.Lstat(a.r.paths.Abs(file)); err == nil {
			file = ""
		}
	}
	if file == "" {
		var err error
		if file, err = URLFileName(rawURL, o.PathDepth, o.HasPathDepth); err != nil {
			return "", err
		}
	}
	return o.Prefix + file + o.Suffix, nil
}

// addToExisting is git-annex's addUrlChecked.
func (a *URLAdder) addToExisting(ctx context.Context, rawURL, file string, k key.Key, o AddURLOptions, info web.URLInfo, ev AddURLEvents) error {
	urls, err := a.r.URLs(ctx, k)
	if err != nil {
		return err
	}
	locs, err := a.r.Locations(ctx, k)
	if err != nil {
		return err
	}
	if slices.Contains(urls, rawURL) && slices.Contains(locs, uuid.Web) {
		ev.Destination(file)
		return nil
	}
	sameSize := (info.Size < 0 && !k.HasSize) || (info.Size >= 0 && k.HasSize && info.Size == k.Size)
	switch {
	case !info.Exists:
		return fmt.Errorf("while adding a new url to an already annexed file, failed to verify url exists: %s", rawURL)
	case !sameSize && !o.Relaxed:
		return fmt.Errorf("while adding a new url to an already annexed file, url does not have expected file size (use --relaxed to bypass this check) %s", rawURL)
	}
	return a.recordURL(ctx, k, rawURL)
}

// recordURL records rawURL for k and the web as having k.
func (a *URLAdder) recordURL(ctx context.Context, k key.Key, rawURL string) error {
	if err := a.r.SetURLPresent(ctx, k, rawURL); err != nil {
		return err
	}
	return a.r.logLocation(ctx, k, uuid.Web, logs.Present)
}

// checkCanAdd refuses to overwrite an existing file.
func (a *URLAdder) checkCanAdd(file string) error {
	if _, err := os.Lstat(a.r.paths.Abs(file)); err == nil {
		return fmt.Errorf("%s already exists; not overwriting", file)
	}
	return nil
}

// addWithoutContent makes file point at k, whose content is not here.
func (a *URLAdder) addWithoutContent(ctx context.Context, rawURL, file string, k key.Key, ev AddURLEvents) error {
	if err := a.checkCanAdd(file); err != nil {
		return err
	}
	ev.Destination(file)
	abs := a.r.paths.Abs(file)
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return fmt.Errorf("addurl %s: %w", file, err)
	}
	if err := a.recordURL(ctx, k, rawURL); err != nil {
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
// an interrupted download resumes), then adds it as `add` would a new
// file: annexed, or to git when annex.largefiles says it is small.
func (a *URLAdder) download(ctx context.Context, rawURL, file string, info web.URLInfo, ev AddURLEvents) (AddURLResult, error) {
	res := AddURLResult{File: file}
	tmpKey := backend.URLKey(rawURL, info.Size, info.Size >= 0)
	p, err := a.r.objects.OpenPartial(ctx, tmpKey)
	if err != nil {
		return res, err
	}
	err = a.client.Download(ctx, rawURL, p, ev.Meter)
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
	return res, a.recordURL(ctx, ad.key, rawURL)
}
