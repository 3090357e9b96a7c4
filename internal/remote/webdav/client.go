package webdav

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/troveproject/trove/internal/remote"
)

// Credentials find the login for the server; called once, on the first
// request. The error is shown as is.
type Credentials func(ctx context.Context) (user, password string, err error)

// client speaks WebDAV to one server, below one base URL. It is safe for
// concurrent use.
type client struct {
	name  string   // the remote's name, for messages and next commands
	base  *url.URL // the url= setting, its path ending in "/"
	http  *http.Client
	creds Credentials
	// next is what to do after fixing the login, for messages; ""
	// means running enableremote to store it.
	next string

	mu       sync.Mutex
	loggedIn bool
	user     string
	password string
}

// newClient returns a client of the WebDAV collection at rawURL.
func newClient(name, rawURL string, creds Credentials, hc *http.Client) (*client, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("webdav remote %s: url=%s is not an http or https URL; fix it with `git annex enableremote %s url=URL`", name, rawURL, name)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawPath = ""
	u.RawQuery, u.Fragment = "", ""
	if hc == nil {
		hc = http.DefaultClient
	}
	return &client{name: name, base: u, http: hc, creds: creds}, nil
}

// urlOf is the absolute URL of loc, a location relative to the base.
func (c *client) urlOf(loc string) string {
	return c.base.String() + escapePath(loc)
}

// shown is loc's URL as messages show it: without any password.
func (c *client) shown(loc string) string {
	u := *c.base
	u.User = nil
	return u.String() + escapePath(loc)
}

// where is the URL req goes to, as messages show it.
func (c *client) where(req request) string {
	if req.url == "" {
		return c.shown(req.loc)
	}
	if u, err := url.Parse(req.url); err == nil {
		u.User = nil
		return u.String()
	}
	return req.url
}

// login returns the credentials, asking for them on first use.
func (c *client) login(ctx context.Context) (string, string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loggedIn {
		u, p, err := c.creds(ctx)
		if err != nil {
			return "", "", err
		}
		c.user, c.password, c.loggedIn = u, p, true
	}
	return c.user, c.password, nil
}

// request describes one WebDAV request.
type request struct {
	method string
	loc    string // relative to the base
	url    string // absolute URL, instead of loc
	header http.Header
	body   io.Reader // nil for none
	size   int64     // body length
}

// do sends req and returns the response whatever its status; the caller
// closes its body. A request that does not reach the server returns an
// error wrapping remote.ErrUnavailable (or ctx's error when ctx ended).
func (c *client) do(ctx context.Context, req request) (*http.Response, error) {
	user, password, err := c.login(ctx)
	if err != nil {
		return nil, err
	}
	body := req.body
	if body == nil {
		body = http.NoBody
	}
	target := req.url
	if target == "" {
		target = c.urlOf(req.loc)
	}
	hr, err := http.NewRequestWithContext(ctx, req.method, target, body)
	if err != nil {
		return nil, fmt.Errorf("webdav remote %s: %s %s: %w", c.name, req.method, c.where(req), err)
	}
	hr.ContentLength = req.size
	if req.body == nil {
		hr.ContentLength = 0
	}
	for k, v := range req.header {
		hr.Header[k] = v
	}
	hr.SetBasicAuth(user, password)
	resp, err := c.http.Do(hr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("webdav remote %s: %s %s: %w", c.name, req.method, c.where(req), ctx.Err())
		}
		return nil, fmt.Errorf("webdav remote %s: %s %s: %v (is the server running? check url= with `git annex info %s`): %w",
			c.name, req.method, c.where(req), unwrapURLError(err), c.name, remote.ErrUnavailable)
	}
	return resp, nil
}

// unwrapURLError drops net/url's "Put \"http://...\":" prefix, which
// repeats the method and URL the message already names.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// call sends req, drains and closes the response, and returns its status
// code when it is one of ok, else the status error.
func (c *client) call(ctx context.Context, req request, ok ...int) (int, error) {
	resp, err := c.do(ctx, req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	for _, code := range ok {
		if resp.StatusCode == code {
			return code, nil
		}
	}
	return resp.StatusCode, c.statusError(req, resp)
}

// statusError is the error for an unexpected response to req: 401
// (permanent; names the credential variables and the command to store
// them), 403 (permanent), 404 (wraps remote.ErrNotPresent), 5xx (wraps
// remote.ErrUnavailable: retrying may help), anything else permanent.
func (c *client) statusError(req request, resp *http.Response) error {
	msg := fmt.Sprintf("webdav remote %s: %s %s: %s", c.name, req.method, c.where(req), resp.Status)
	switch code := resp.StatusCode; {
	case code == http.StatusUnauthorized:
		next := c.next
		if next == "" {
			next = "run `git annex enableremote " + c.name + "` to store them"
		}
		return remote.Permanent(fmt.Errorf("%s: the server refused the login; set %s and %s to the right ones and %s", msg, EnvUser, EnvPassword, next))
	case code == http.StatusForbidden:
		return remote.Permanent(fmt.Errorf("%s: the server forbids it; check that the WebDAV login may write below %s", msg, c.shown("")))
	case code == http.StatusNotFound:
		return fmt.Errorf("%s: %w", msg, remote.ErrNotPresent)
	case code >= 500:
		return fmt.Errorf("%s: %w", msg, remote.ErrUnavailable)
	}
	return remote.Permanent(errors.New(msg))
}

// exists reports whether there is a resource at loc (PROPFIND, Depth 1,
// as git-annex: some servers refuse other depths). It errs only when the
// answer is neither yes nor no.
func (c *client) exists(ctx context.Context, loc string) (bool, error) {
	code, err := c.call(ctx, request{method: "PROPFIND", loc: loc, header: http.Header{"Depth": {"1"}}},
		http.StatusMultiStatus, http.StatusOK, http.StatusNotFound)
	return code == http.StatusMultiStatus || code == http.StatusOK, err
}

// mkcol makes the collection dir ("a/b/") and any missing parents. An
// existing collection is fine. Parents are made only when the server
// says they are missing (409, or 404 from some servers), so the common case is one request.
func (c *client) mkcol(ctx context.Context, dir string) error {
	if dir == "" {
		return nil
	}
	req := request{method: "MKCOL", loc: dir}
	code, err := c.call(ctx, req, http.StatusCreated, http.StatusMethodNotAllowed, http.StatusConflict, http.StatusNotFound)
	if err != nil || (code != http.StatusConflict && code != http.StatusNotFound) {
		return err
	}
	if p := parent(dir); p != "" {
		if err := c.mkcol(ctx, p); err != nil {
			return err
		}
	} else {
		c.mkbase(ctx)
	}
	_, err = c.call(ctx, req, http.StatusCreated, http.StatusMethodNotAllowed)
	return err
}

// mkbase makes the collections of the base URL's path from the root
// down, ignoring failures (the server may serve WebDAV only below some
// path, which then exists), as git-annex's makeParentDirs does.
func (c *client) mkbase(ctx context.Context) {
	segs := strings.Split(strings.Trim(c.base.Path, "/"), "/")
	for i := range segs {
		u := *c.base
		u.Path = "/" + strings.Join(segs[:i+1], "/") + "/"
		_, _ = c.call(ctx, request{method: "MKCOL", url: u.String()}, http.StatusCreated)
	}
}
