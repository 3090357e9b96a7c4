package external

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// ReadOnly is an external remote enabled with readonly=true: no helper
// runs; content is downloaded from the http(s) URLs the helper recorded
// with SETURLPRESENT, and Store and Remove fail with remote.ErrReadOnly.
// Safe for concurrent use.
type ReadOnly struct {
	name         string
	uuid         uuid.UUID
	cost         float64
	externalType string
	host         remote.Host
	client       *http.Client
}

func newReadOnly(p remote.Params) *ReadOnly {
	return &ReadOnly{name: p.Name, uuid: p.UUID, cost: p.Cost, externalType: p.Config["externaltype"],
		host: p.Host, client: http.DefaultClient}
}

// Name implements remote.Remote.
func (r *ReadOnly) Name() string { return r.name }

// UUID implements remote.Remote.
func (r *ReadOnly) UUID() uuid.UUID { return r.uuid }

// Cost implements remote.Remote.
func (r *ReadOnly) Cost() float64 { return r.cost }

// Type implements remote.InfoReporter.
func (r *ReadOnly) Type() string { return "external" }

// Info implements remote.InfoReporter.
func (r *ReadOnly) Info() []remote.InfoField {
	return []remote.InfoField{{Name: "externaltype", Value: "readonly"}}
}

// Store implements remote.Remote; it always fails.
func (r *ReadOnly) Store(context.Context, key.Key, remote.Source, progress.Meter) error {
	return fmt.Errorf("remote %s was enabled readonly=true (set remote.%s.annex-readonly=false to use its %s%s): %w",
		r.name, r.name, ProgramPrefix, r.externalType, remote.ErrReadOnly)
}

// Remove implements remote.Remote; it always fails.
func (r *ReadOnly) Remove(ctx context.Context, k key.Key) error {
	return r.Store(ctx, k, remote.Source{}, nil)
}

// httpURLs returns k's recorded http and https URLs.
func (r *ReadOnly) httpURLs(ctx context.Context, k key.Key) ([]string, error) {
	all, err := r.host.URLs(ctx, k, "")
	if err != nil {
		return nil, fmt.Errorf("remote %s: URLs of %s: %w", r.name, k, err)
	}
	var out []string
	for _, u := range all {
		if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
			out = append(out, u)
		}
	}
	return out, nil
}

// CheckPresent implements remote.Remote with a HEAD request on each URL.
func (r *ReadOnly) CheckPresent(ctx context.Context, k key.Key) (bool, error) {
	urls, err := r.httpURLs(ctx, k)
	if err != nil {
		return false, err
	}
	var errs []error
	for _, u := range urls {
		req, err := http.NewRequestWithContext(ctx, http.MethodHead, u, nil)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		resp, err := r.client.Do(req)
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: %w", err, remote.ErrUnavailable))
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return true, nil
		}
	}
	if len(errs) > 0 {
		return false, fmt.Errorf("remote %s: checking %s: %w", r.name, k, errors.Join(errs...))
	}
	return false, nil
}

// Retrieve implements remote.Remote: the first URL that answers is
// downloaded into dst, resuming with a Range request when dst holds a
// prefix and the server honours it.
func (r *ReadOnly) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	urls, err := r.httpURLs(ctx, k)
	if err != nil {
		return err
	}
	if len(urls) == 0 {
		return fmt.Errorf("remote %s (readonly) has no URL for %s: %w", r.name, k, remote.ErrNotPresent)
	}
	var errs []error
	for _, u := range urls {
		err := r.download(ctx, u, dst, m)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	return fmt.Errorf("remote %s: downloading %s: %w", r.name, k, errors.Join(errs...))
}

func (r *ReadOnly) download(ctx context.Context, u string, dst remote.Sink, m progress.Meter) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	off := dst.Offset()
	if off > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", off))
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w: %w", u, err, remote.ErrUnavailable)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusPartialContent && off > 0:
	case resp.StatusCode == http.StatusOK:
		if off > 0 {
			if err := dst.Restart(); err != nil {
				return err
			}
		}
	case resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("%s: %s: %w", u, resp.Status, remote.ErrNotPresent)
	default:
		return fmt.Errorf("%s: %s", u, resp.Status)
	}
	if m == nil {
		m = progress.Discard
	}
	if _, err := io.Copy(meterWriter{dst, m}, resp.Body); err != nil {
		return fmt.Errorf("%s: %w", u, err)
	}
	return nil
}

// meterWriter counts what passes through it.
type meterWriter struct {
	w io.Writer
	m progress.Meter
}

func (mw meterWriter) Write(p []byte) (int, error) {
	n, err := mw.w.Write(p)
	mw.m.Add(int64(n))
	return n, err
}

var (
	_ remote.Remote       = (*ReadOnly)(nil)
	_ remote.InfoReporter = (*ReadOnly)(nil)
)
