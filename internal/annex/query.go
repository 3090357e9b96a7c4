package annex

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/pointer"
	"github.com/troveproject/trove/internal/policy"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// Copy is one repository that the location log says has a key.
type Copy struct {
	UUID uuid.UUID
	// Description is how git-annex names the repository in whereis JSON:
	// "desc [remote]", "[remote]", the bare description for this
	// repository, or "" for a UUID nothing is known about.
	Description string
	Here        bool
	// URLs are the key's URLs served by this repository (the web).
	URLs []string
}

// Line is the repository as whereis and info list it (KnownRepo.Line):
// "UUID -- desc [remote]" with this repository marked "[here]", or the
// bare UUID when nothing is known.
func (c Copy) Line() string {
	return uuidLine(c.UUID, hereLabel(c.Description, c.Here))
}

// RemoteURLs are the URLs a remote (the web) lists for a key.
type RemoteURLs struct {
	Remote string
	URLs   []string
}

// WhereIs is where a key's content is, by the location log.
type WhereIs struct {
	Key key.Key
	// Copies are the trusted and semitrusted repositories having the key,
	// sorted by UUID; dead repositories are left out.
	Copies []Copy
	// Untrusted are the untrusted repositories that may have it.
	Untrusted []Copy
	// URLs lists, per remote among the copies, the URLs it has the key at.
	URLs []RemoteURLs
}

// WhereIs reports where k's content is. It reads the git-annex branch
// through the repository's long-running cat-file process.
func (r *Repo) WhereIs(ctx context.Context, k key.Key) (WhereIs, error) {
	locs, err := r.Locations(ctx, k)
	if err != nil {
		return WhereIs{}, fmt.Errorf("location log of %s: %w", k, err)
	}
	return r.whereIs(ctx, k, locs)
}

// WhereIsFile is WhereIs of f's key, using the location log
// FilesWithLocations read ahead when f came from there.
func (r *Repo) WhereIsFile(ctx context.Context, f AnnexedFile) (WhereIs, error) {
	locs, err := r.FileLocations(ctx, f)
	if err != nil {
		return WhereIs{}, fmt.Errorf("location log of %s: %w", f.Key, err)
	}
	return r.whereIs(ctx, f.Key, locs)
}

// whereIs reports where k is, given the repositories its location log
// lists.
func (r *Repo) whereIs(ctx context.Context, k key.Key, locs []uuid.UUID) (WhereIs, error) {
	rs, err := r.Repos(ctx)
	if err != nil {
		return WhereIs{}, err
	}
	slices.Sort(locs)
	locs = slices.Compact(locs)
	w := WhereIs{Key: k, Copies: []Copy{}, Untrusted: []Copy{}}
	var urls []string
	for _, u := range locs {
		kr := rs.Get(u)
		c := Copy{UUID: u, Description: kr.Label(), Here: kr.Here, URLs: []string{}}
		if u == uuid.Web || u == uuid.BitTorrent {
			if urls == nil {
				if urls, err = r.URLs(ctx, k); err != nil {
					return WhereIs{}, fmt.Errorf("url log of %s: %w", k, err)
				}
			}
			for _, url := range urls {
				if isBitTorrentURL(url) == (u == uuid.BitTorrent) {
					c.URLs = append(c.URLs, url)
				}
			}
			if len(c.URLs) > 0 {
				w.URLs = append(w.URLs, RemoteURLs{Remote: kr.Description, URLs: c.URLs})
			}
		} else if name, urls := r.specialWhereis(ctx, k, u); len(urls) > 0 {
			c.URLs = urls
			w.URLs = append(w.URLs, RemoteURLs{Remote: name, URLs: urls})
		}
		switch kr.Trust {
		case policy.Dead:
		case policy.UnTrusted:
			w.Untrusted = append(w.Untrusted, c)
		default:
			w.Copies = append(w.Copies, c)
		}
	}
	return w, nil
}

// isBitTorrentURL reports whether the bittorrent special remote claims url.
func isBitTorrentURL(url string) bool {
	return strings.HasPrefix(url, "magnet:") || strings.HasSuffix(url, ".torrent")
}

// LookupKey returns the key of the annexed file at path (relative to the
// top): the target of a locked file's symlink or the key in an unlocked
// file's pointer, else the key its index entry records. ok is false when
// the path is not an annexed file.
func (r *Repo) LookupKey(ctx context.Context, path string) (k key.Key, ok bool, err error) {
	abs := r.paths.Abs(path)
	fi, err := os.Lstat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return key.Key{}, false, nil
	case err != nil:
		return key.Key{}, false, fmt.Errorf("look up key of %s: %w", path, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		if target, err := os.Readlink(abs); err == nil {
			if k, ok := pointer.ParseLink(target); ok {
				return k, true, nil
			}
		}
	case fi.Mode().IsRegular() && fi.Size() <= pointer.MaxSize:
		data, err := os.ReadFile(abs)
		if err != nil {
			return key.Key{}, false, fmt.Errorf("look up key of %s: %w", path, err)
		}
		if k, ok := pointer.Parse(data); ok {
			return k, true, nil
		}
	}
	if !fi.Mode().IsRegular() && fi.Mode()&fs.ModeSymlink == 0 {
		return key.Key{}, false, nil
	}
	// A modified unlocked file: the index still has its pointer.
	err = r.indexFiles(ctx, []string{path}, func(f AnnexedFile) error {
		if f.Path == path {
			k, ok = f.Key, true
		}
		return nil
	})
	return k, ok, err
}

// CalcKey returns the key the file at path (relative to the top) would get
// under backend name ("" = annex.backend), without adding it.
func (r *Repo) CalcKey(ctx context.Context, path, backendName string) (key.Key, error) {
	b, err := r.backendFor(backendName)
	if err != nil {
		return key.Key{}, err
	}
	k, err := backend.HashFile(ctx, r.paths.Abs(path), b, r.maxExtLen())
	if err != nil {
		return key.Key{}, fmt.Errorf("calculate key of %s: %w", path, err)
	}
	return k, nil
}

// ContentLocation returns the path of k's content in the local object
// store, relative to the command's directory, and whether it is present.
func (r *Repo) ContentLocation(k key.Key) (string, bool, error) {
	p, present, err := r.objects.Find(k)
	if err != nil || !present {
		return "", false, err
	}
	return r.relToCwd(p), true, nil
}

// relToCwd makes an absolute path relative to the command's directory.
func (r *Repo) relToCwd(p string) string {
	if rel, err := filepath.Rel(r.paths.Cwd, p); err == nil {
		return filepath.ToSlash(rel)
	}
	return p
}

// HasContent reports whether the local object store has k's content.
func (r *Repo) HasContent(k key.Key) (bool, error) { return r.objects.Has(k) }

// Column is one repository of `git annex list`.
type Column struct {
	UUID uuid.UUID
	Name string // "here", the remote name, "web", "bittorrent"
	// UnTrusted columns are headed "NAME (untrusted)" and mark copies
	// with a lower-case x.
	UnTrusted bool
}

// ListColumns returns the columns of `git annex list`: this repository,
// its remotes by increasing cost (config order among equals), then the
// web and bittorrent.
func (r *Repo) ListColumns(ctx context.Context) ([]Column, error) {
	rs, err := r.Repos(ctx)
	if err != nil {
		return nil, err
	}
	cols := r.listColumns(ctx)
	for i := range cols {
		cols[i].UnTrusted = rs.Get(cols[i].UUID).Trust == policy.UnTrusted
	}
	return cols, nil
}

func (r *Repo) listColumns(ctx context.Context) []Column {
	cols := []Column{{UUID: r.here, Name: "here"}}
	type rc struct {
		Column
		cost float64
	}
	var rems []rc
	// remote.log is read once, and only when there is a special remote.
	remoteLog := sync.OnceValues(func() (map[uuid.UUID]logs.Entry[logs.RemoteConfig], error) { return r.remoteLog(ctx) })
	for _, rem := range r.cfg.Remotes {
		if rem.UUID.IsZero() || rem.UUID == r.here {
			continue
		}
		cost := 100.0
		switch {
		case rem.URL == "":
			cost = remote.ExpensiveCost
			if entries, err := remoteLog(); err == nil {
				cost = r.specialListCost(rem, entries)
			}
		case rem.HasCost:
			cost = rem.Cost
		case strings.Contains(rem.URL, "://") || strings.Contains(rem.URL, ":"):
			cost = 200
		}
		rems = append(rems, rc{Column{UUID: rem.UUID, Name: rem.Name}, cost})
	}
	slices.SortStableFunc(rems, func(a, b rc) int {
		switch {
		case a.cost < b.cost:
			return -1
		case a.cost > b.cost:
			return 1
		}
		return 0
	})
	for _, c := range rems {
		cols = append(cols, c.Column)
	}
	return append(cols, Column{UUID: uuid.Web, Name: "web"}, Column{UUID: uuid.BitTorrent, Name: "bittorrent"})
}
