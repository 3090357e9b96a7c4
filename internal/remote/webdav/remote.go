package webdav

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/keylock"
	"github.com/troveproject/trove/internal/uuid"
)

// Remote is a webdav special remote. It is safe for concurrent use:
// stores of one key within the process are serialised (they share
// git-annex's temporary name), different keys never share a location.
type Remote struct {
	name  string
	uuid  uuid.UUID
	cost  float64
	url   string
	c     *client
	locks keylock.Set
}

// New returns the webdav remote p describes, storing below rawURL and
// logging in with what creds returns on first use. hc is the HTTP client
// (nil for http.DefaultClient). It does no I/O; it fails only for a URL
// that is not http(s).
func New(p remote.Params, rawURL string, creds Credentials, hc *http.Client) (*Remote, error) {
	c, err := newClient(p.Name, rawURL, creds, hc)
	if err != nil {
		return nil, err
	}
	cost := p.Cost
	if cost == 0 {
		cost = remote.ExpensiveCost
	}
	return &Remote{name: p.Name, uuid: p.UUID, cost: cost, url: rawURL, c: c}, nil
}

// Name implements remote.Remote.
func (r *Remote) Name() string { return r.name }

// UUID implements remote.Remote.
func (r *Remote) UUID() uuid.UUID { return r.uuid }

// Cost implements remote.Remote.
func (r *Remote) Cost() float64 { return r.cost }

// Type implements remote.InfoReporter.
func (r *Remote) Type() string { return "webdav" }

// Info implements remote.InfoReporter: the url, as git-annex's info shows.
func (r *Remote) Info() []remote.InfoField {
	return []remote.InfoField{{Name: "url", Value: r.c.shown("")}}
}

// Store implements remote.Remote: PUT under the temporary name, MKCOL of
// the key's collections, MOVE into place (over an old copy; when the
// server refuses that, DELETE of the old copy and MOVE again). On error
// the temporary upload is deleted (best effort) and nothing is left under
// the key's name that was not there before.
func (r *Remote) Store(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	unlock := r.locks.Lock(k)
	defer unlock()
	if err := r.storeAt(ctx, keyTmpLocation(k), keyLocation(k), src, m); err != nil {
		return fmt.Errorf("store %s: %w", k, err)
	}
	return nil
}

// storeAt uploads src to tmp and moves it to dest, making the
// collections of both as needed; on error it deletes tmp (best effort).
func (r *Remote) storeAt(ctx context.Context, tmp, dest string, src remote.Source, m progress.Meter) error {
	err := r.c.mkcol(ctx, parent(tmp))
	if err == nil {
		err = r.put(ctx, tmp, src, m)
	}
	if err == nil && parent(dest) != parent(tmp) {
		err = r.c.mkcol(ctx, parent(dest))
	}
	if err == nil {
		err = r.moveOver(ctx, tmp, dest)
	}
	if err != nil {
		r.discard(ctx, tmp)
	}
	return err
}

// moveOver moves the complete upload at tmp to dest. Some servers refuse
// to MOVE over a file: then the old copy is deleted first, as git-annex
// always does (Trove only when needed, so that a present key stays
// readable while it is stored again), and the MOVE tried again. Only a
// failed MOVE of a complete upload gets there: nothing is deleted for an
// upload that did not happen.
func (r *Remote) moveOver(ctx context.Context, tmp, dest string) error {
	err := r.move(ctx, tmp, dest)
	if err != nil && ctx.Err() == nil && !errors.Is(err, remote.ErrUnavailable) {
		_, _ = r.c.call(ctx, request{method: http.MethodDelete, loc: dest})
		err = r.move(ctx, tmp, dest)
	}
	return err
}

// move moves the resource at from to to, replacing any there.
func (r *Remote) move(ctx context.Context, from, to string) error {
	_, err := r.c.call(ctx, request{method: "MOVE", loc: from, header: http.Header{
		"Destination": {r.c.urlOf(to)},
		"Overwrite":   {"T"},
	}}, http.StatusCreated, http.StatusNoContent)
	return err
}

// put uploads src to loc, making the url's collection when the server
// says it is missing (409, or 404 from some servers).
func (r *Remote) put(ctx context.Context, loc string, src remote.Source, m progress.Meter) error {
	send := func() (int, error) {
		f, err := src.Open()
		if err != nil {
			return 0, fmt.Errorf("open %s: %w", src.Path, err)
		}
		defer f.Close()
		size, err := f.Seek(0, io.SeekEnd)
		if err == nil {
			_, err = f.Seek(0, io.SeekStart)
		}
		if err != nil {
			return 0, fmt.Errorf("read %s: %w", src.Path, err)
		}
		m.SetTotal(size)
		var body io.Reader
		if size > 0 {
			body = progress.Reader{R: f, M: m}
		}
		return r.c.call(ctx, request{method: http.MethodPut, loc: loc, body: body, size: size,
			header: http.Header{"Content-Type": {"application/octet-stream"}}},
			http.StatusCreated, http.StatusNoContent, http.StatusOK, http.StatusConflict, http.StatusNotFound)
	}
	code, err := send()
	if err == nil && (code == http.StatusConflict || code == http.StatusNotFound) {
		// The url's own collection is missing (the first store).
		r.c.mkbase(ctx)
		code, err = send()
	}
	if err == nil && (code == http.StatusConflict || code == http.StatusNotFound) {
		err = fmt.Errorf("webdav remote %s: PUT %s: the server has no collection %s; create it or fix url= with `git annex enableremote %s url=URL`", r.name, r.c.shown(loc), r.c.shown(""), r.name)
	}
	return err
}

// discard deletes a temporary upload, even when ctx was cancelled,
// ignoring failures: a leftover temporary name is harmless and the next
// store of the key overwrites it.
func (r *Remote) discard(ctx context.Context, loc string) {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	_, _ = r.c.call(dctx, request{method: http.MethodDelete, loc: loc})
}

// Retrieve implements remote.Remote: a GET, with a Range request from
// dst.Offset() when dst already holds a prefix.
func (r *Remote) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	if err := r.retrieve(ctx, keyLocation(k), dst, m); err != nil {
		return fmt.Errorf("retrieve %s: %w", k, err)
	}
	return nil
}

func (r *Remote) retrieve(ctx context.Context, loc string, dst remote.Sink, m progress.Meter) error {
	off := dst.Offset()
	req := request{method: http.MethodGet, loc: loc, header: http.Header{}}
	if off > 0 {
		req.header.Set("Range", "bytes="+strconv.FormatInt(off, 10)+"-")
	}
	resp, err := r.c.do(ctx, req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, total, ok := contentRange(resp.Header.Get("Content-Range"))
		if !ok || start != off {
			return remote.Permanent(fmt.Errorf("webdav remote %s: GET %s: asked for bytes from %d, got Content-Range %q",
				r.name, r.c.shown(loc), off, resp.Header.Get("Content-Range")))
		}
		m.SetTotal(total)
	case http.StatusOK:
		if off > 0 {
			if err := dst.Restart(); err != nil {
				return err
			}
		}
		m.SetTotal(resp.ContentLength)
	case http.StatusRequestedRangeNotSatisfiable:
		// dst holds as much as the server has, or more: start again.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		if err := dst.Restart(); err != nil {
			return err
		}
		return r.retrieve(ctx, loc, dst, m)
	default:
		return r.c.statusError(req, resp)
	}
	if _, err := io.Copy(dst, progress.Reader{R: resp.Body, M: m}); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("webdav remote %s: GET %s: %w", r.name, r.c.shown(loc), ctx.Err())
		}
		return fmt.Errorf("webdav remote %s: GET %s: %v: %w", r.name, r.c.shown(loc), err, remote.ErrUnavailable)
	}
	return nil
}

// contentRange parses "bytes START-END/TOTAL" (TOTAL may be "*", then -1).
func contentRange(v string) (start, total int64, ok bool) {
	v, ok = strings.CutPrefix(v, "bytes ")
	if !ok {
		return 0, 0, false
	}
	rng, tot, ok := strings.Cut(v, "/")
	first, _, ok2 := strings.Cut(rng, "-")
	if !ok || !ok2 {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 {
		return 0, 0, false
	}
	total = -1
	if tot != "*" {
		if total, err = strconv.ParseInt(tot, 10, 64); err != nil {
			return 0, 0, false
		}
	}
	return start, total, true
}

// CheckPresent implements remote.Remote: a PROPFIND of the key's file.
func (r *Remote) CheckPresent(ctx context.Context, k key.Key) (bool, error) {
	ok, err := r.c.exists(ctx, keyLocation(k))
	if err != nil {
		return false, fmt.Errorf("check %s: %w", k, err)
	}
	return ok, nil
}

// Remove implements remote.Remote: a DELETE of the key's collection
// (with any legacy chunk files in it). When the DELETE fails the key
// counts as removed only if it is gone.
func (r *Remote) Remove(ctx context.Context, k key.Key) error {
	unlock := r.locks.Lock(k)
	defer unlock()
	if err := r.remove(ctx, keyDir(k)); err != nil {
		return fmt.Errorf("remove %s: %w", k, err)
	}
	return nil
}

// remove deletes the resource at loc; an absent one is not an error.
func (r *Remote) remove(ctx context.Context, loc string) error {
	_, err := r.c.call(ctx, request{method: http.MethodDelete, loc: loc},
		http.StatusNoContent, http.StatusOK, http.StatusAccepted, http.StatusNotFound)
	if err == nil || errors.Is(err, context.Canceled) {
		return err
	}
	if there, perr := r.c.exists(ctx, loc); perr == nil && !there {
		return nil
	}
	return err
}

var (
	_ remote.Remote       = (*Remote)(nil)
	_ remote.InfoReporter = (*Remote)(nil)
)
