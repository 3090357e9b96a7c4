package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// Options are the settings of web access, from git config.
type Options struct {
	// AllowedSchemes is annex.security.allowed-url-schemes split into
	// words; nil means DefaultSchemes.
	AllowedSchemes []string
	// AllowedAddresses is annex.security.allowed-ip-addresses as written
	// ("" = none beyond public addresses, "all" = anything, proxies used).
	AllowedAddresses string
	// UserAgent is sent with every request ("" = "git-annex/<version>").
	UserAgent string
	// Cost is the web remote's cost (0 = remote.ExpensiveCost).
	Cost float64
}

// ConfigOptions reads Options from git config through get (for example
// remote.Host.GitConfig), with git-annex's names and fallbacks
// (annex.security.allowed-http-addresses is the old name of
// allowed-ip-addresses).
func ConfigOptions(get func(name string) (string, bool)) Options {
	var o Options
	if v, ok := get(settingSchemes); ok {
		o.AllowedSchemes = strings.Fields(v)
		if o.AllowedSchemes == nil {
			o.AllowedSchemes = []string{}
		}
	}
	if v, ok := get(settingAddresses); ok {
		o.AllowedAddresses = v
	} else if v, ok := get("annex.security.allowed-http-addresses"); ok {
		o.AllowedAddresses = v
	}
	if v, ok := get("annex.web-cost"); ok {
		if c, err := strconv.ParseFloat(v, 64); err == nil {
			o.Cost = c
		}
	}
	return o
}

// URLInfo is what a URL says about itself without a download.
type URLInfo struct {
	// Exists is false when the server answered that there is nothing
	// there (or refused).
	Exists bool
	// Size is the content length, or -1 when the server did not say.
	Size int64
	// SuggestedFile is the file name of a Content-Disposition header, or "".
	SuggestedFile string
}

// DownloadError is a failed download, worded as git-annex words it
// ("download failed: Not Found").
type DownloadError struct {
	URL string
	Msg string
	Err error // the underlying error, if any
}

func (e *DownloadError) Error() string { return "download failed: " + e.Msg }

// Unwrap returns the underlying error.
func (e *DownloadError) Unwrap() error { return e.Err }

// Client downloads URLs under the security settings. It is safe for
// concurrent use.
type Client struct {
	pol   policy
	http  *http.Client
	agent string
}

// NewClient returns a client applying opts.
func NewClient(opts Options) *Client {
	pol := newPolicy(opts.AllowedSchemes, opts.AllowedAddresses)
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableCompression = true
	if pol.unrestricted {
		tr.Proxy = http.ProxyFromEnvironment
	} else {
		// As git-annex: a proxy would connect on our behalf to addresses
		// we could not check, so proxies are not used.
		tr.Proxy = nil
		dialer.Control = pol.control
	}
	tr.DialContext = dialer.DialContext
	c := &Client{pol: pol, agent: opts.UserAgent}
	if c.agent == "" {
		c.agent = "git-annex/10.20230126"
	}
	c.http = &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			return pol.schemeAllowed(req.URL.Scheme, req.URL.String())
		},
	}
	return c
}

// parse parses rawURL and checks its scheme against the policy.
func (c *Client) parse(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme == "" {
		return nil, fmt.Errorf("bad url %s", rawURL)
	}
	if err := c.pol.schemeAllowed(u.Scheme, rawURL); err != nil {
		return nil, err
	}
	return u, nil
}

// CheckURL returns the security refusal of rawURL's scheme, or nil. It
// does no network access.
func (c *Client) CheckURL(rawURL string) error {
	_, err := c.parse(rawURL)
	return err
}

// Info asks whether rawURL exists and how large it is (a HEAD request, or
// a stat of a file:// URL). An error means the URL may not be accessed
// (a *SecurityError) or could not be asked; a plain "not there" is
// URLInfo{Exists: false}.
func (c *Client) Info(ctx context.Context, rawURL string) (URLInfo, error) {
	u, err := c.parse(rawURL)
	if err != nil {
		return URLInfo{}, err
	}
	switch strings.ToLower(u.Scheme) {
	case "file":
		fi, err := os.Stat(u.Path)
		if err != nil || fi.IsDir() {
			return URLInfo{Size: -1}, nil
		}
		return URLInfo{Exists: true, Size: fi.Size()}, nil
	case "http", "https":
	default:
		return URLInfo{}, fmt.Errorf("Unsupported url scheme %s", rawURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, rawURL, nil)
	if err != nil {
		return URLInfo{}, fmt.Errorf("bad url %s: %w", rawURL, err)
	}
	c.headers(req)
	resp, err := c.http.Do(req)
	if err != nil {
		if se := securityCause(err); se != nil {
			return URLInfo{}, se
		}
		return URLInfo{}, fmt.Errorf("check %s: %w", rawURL, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return URLInfo{Size: -1}, nil
	}
	info := URLInfo{Exists: true, Size: resp.ContentLength}
	if cd := resp.Header.Get("Content-Disposition"); cd != "" {
		if _, params, err := mime.ParseMediaType(cd); err == nil {
			info.SuggestedFile = params["filename"]
		}
	}
	return info, nil
}

func (c *Client) headers(req *http.Request) {
	req.Header.Set("User-Agent", c.agent)
	req.Header.Set("Accept-Encoding", "identity")
}

// securityCause digs a *SecurityError out of a transport error.
func securityCause(err error) *SecurityError {
	var se *SecurityError
	if errors.As(err, &se) {
		return se
	}
	return nil
}

// Download writes rawURL's content into dst, resuming after the
// dst.Offset() bytes already there when the server supports Range
// requests (otherwise dst is restarted). It does not verify the content.
// Errors are *SecurityError, or *DownloadError for everything else (a
// missing file, an HTTP error status, a truncated body); a truncated
// download leaves what arrived in dst for a later resume.
func (c *Client) Download(ctx context.Context, rawURL string, dst remote.Sink, m progress.Meter) error {
	u, err := c.parse(rawURL)
	if err != nil {
		return err
	}
	switch strings.ToLower(u.Scheme) {
	case "file":
		return c.downloadFile(ctx, rawURL, u.Path, dst, m)
	case "http", "https":
		return c.downloadHTTP(ctx, rawURL, dst, m)
	}
	return &DownloadError{URL: rawURL, Msg: "Unsupported url scheme " + rawURL}
}

func (c *Client) downloadFile(ctx context.Context, rawURL, path string, dst remote.Sink, m progress.Meter) error {
	f, err := os.Open(path)
	if err != nil {
		return &DownloadError{URL: rawURL, Msg: err.Error(), Err: err}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return &DownloadError{URL: rawURL, Msg: err.Error(), Err: err}
	}
	off := dst.Offset()
	if off > fi.Size() {
		if err := dst.Restart(); err != nil {
			return err
		}
		off = 0
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return &DownloadError{URL: rawURL, Msg: err.Error(), Err: err}
	}
	m.SetTotal(fi.Size())
	if off > 0 {
		m.Add(off)
	}
	return copyBody(ctx, rawURL, dst, f, m)
}

func (c *Client) downloadHTTP(ctx context.Context, rawURL string, dst remote.Sink, m progress.Meter) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return &DownloadError{URL: rawURL, Msg: "invalid url", Err: err}
	}
	c.headers(req)
	off := dst.Offset()
	if off > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(off, 10)+"-")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if se := securityCause(err); se != nil {
			return &DownloadError{URL: rawURL, Msg: se.Error(), Err: se}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &DownloadError{URL: rawURL, Msg: err.Error(), Err: err}
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusPartialContent && off > 0 && rangeStart(resp) == off:
	case resp.StatusCode == http.StatusOK:
		if off > 0 {
			if err := dst.Restart(); err != nil {
				return err
			}
			off = 0
		}
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && off > 0:
		// git-annex (and curl, wget) take this as "already complete"
		// when the server says the whole content is off bytes long or
		// says nothing.
		cr := resp.Header.Get("Content-Range")
		if cr == "" || cr == "bytes */"+strconv.FormatInt(off, 10) {
			return nil
		}
		return &DownloadError{URL: rawURL, Msg: statusText(resp)}
	default:
		return &DownloadError{URL: rawURL, Msg: statusText(resp)}
	}
	if resp.ContentLength >= 0 {
		m.SetTotal(off + resp.ContentLength)
	}
	if off > 0 {
		m.Add(off)
	}
	return copyBody(ctx, rawURL, dst, resp.Body, m)
}

// rangeStart is the first byte of a 206 response's Content-Range, or -1.
func rangeStart(resp *http.Response) int64 {
	cr, ok := strings.CutPrefix(resp.Header.Get("Content-Range"), "bytes ")
	if !ok {
		return -1
	}
	first, _, _ := strings.Cut(cr, "-")
	n, err := strconv.ParseInt(first, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// statusText is the reason phrase of an HTTP status, as git-annex shows it.
func statusText(resp *http.Response) string {
	if _, reason, ok := strings.Cut(resp.Status, " "); ok && reason != "" {
		return reason
	}
	return http.StatusText(resp.StatusCode)
}

func copyBody(ctx context.Context, rawURL string, dst remote.Sink, src io.Reader, m progress.Meter) error {
	buf := make([]byte, 256*1024)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, rerr := src.Read(buf)
		if n > 0 {
			if _, err := dst.Write(buf[:n]); err != nil {
				return fmt.Errorf("download %s: %w", rawURL, err)
			}
			m.Add(int64(n))
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &DownloadError{URL: rawURL, Msg: rerr.Error(), Err: rerr}
		}
	}
}
