package webdav

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/testutil"
)

// faultProxy forwards to a WebDAV server, except that fault, when set,
// may answer a request itself (returning true).
type faultProxy struct {
	*httptest.Server
	fault atomic.Pointer[func(w http.ResponseWriter, r *http.Request) bool]
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	u, _ := url.Parse(target)
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ErrorLog = nil
	p := &faultProxy{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := p.fault.Load(); f != nil && (*f)(w, r) {
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *faultProxy) set(f func(w http.ResponseWriter, r *http.Request) bool) { p.fault.Store(&f) }

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

// faultSetup starts a server behind a proxy and returns a remote through
// the proxy, the server, and a content file with its key.
func faultSetup(t *testing.T) (*faultProxy, *testutil.WebDAVServer, remote.Remote, key.Key, string) {
	clearEnv(t)
	srv := testutil.WebDAV(t)
	p := newFaultProxy(t, srv.URL)
	r := openRemote(t, p.URL+"/annex", srv.User, srv.Password, remotetest.NewHost(t), remote.Config{})
	content := bytes.Repeat([]byte("0123456789abcdef"), 1<<14) // 256 KiB
	src := filepath.Join(t.TempDir(), "content")
	if err := os.WriteFile(src, content, 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := key.Parse("SHA256E-s262144--0000000000000000000000000000000000000000000000000000000000000000")
	if err != nil {
		t.Fatal(err)
	}
	return p, srv, r, k, src
}

// assertNothingStored checks that a failed store left no content on the
// server: no key file and no temporary upload (an empty key collection
// may remain, as with git-annex).
func assertNothingStored(t *testing.T, srv *testutil.WebDAVServer, r remote.Remote, k key.Key) {
	t.Helper()
	if ok, err := r.CheckPresent(context.Background(), k); ok || err != nil {
		t.Errorf("after the failed store: CheckPresent = %v, %v", ok, err)
	}
	for _, f := range serverFiles(t, srv.Dir) {
		if strings.HasSuffix(f, k.File()+"/"+k.File()) || strings.Contains(f, tmpPrefix) {
			t.Errorf("after the failed store the server has %s", f)
		}
	}
}

func TestStoreServerError(t *testing.T) {
	p, srv, r, k, src := faultSetup(t)
	p.set(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != "MOVE" {
			return false
		}
		http.Error(w, "disk on fire", http.StatusInternalServerError)
		return true
	})
	err := r.Store(context.Background(), k, remote.Source{Path: src, Size: -1}, progress.Discard)
	if !errors.Is(err, remote.ErrUnavailable) || !remote.Retryable(err) || !strings.Contains(err.Error(), "MOVE") || !strings.Contains(err.Error(), "500") {
		t.Errorf("Store with MOVE failing: %v", err)
	}
	p.set(func(http.ResponseWriter, *http.Request) bool { return false })
	assertNothingStored(t, srv, r, k)
}

func TestStoreConnectionDroppedMidUpload(t *testing.T) {
	p, srv, r, k, src := faultSetup(t)
	p.set(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPut || !strings.Contains(r.URL.Path, k.File()) {
			return false
		}
		io.CopyN(io.Discard, r.Body, 50_000)
		dropConnection(w)
		return true
	})
	err := r.Store(context.Background(), k, remote.Source{Path: src, Size: -1}, progress.Discard)
	if !errors.Is(err, remote.ErrUnavailable) || !remote.Retryable(err) {
		t.Errorf("Store with the connection dropped: %v", err)
	}
	p.set(func(http.ResponseWriter, *http.Request) bool { return false })
	assertNothingStored(t, srv, r, k)
	// A retry succeeds.
	if err := r.Store(context.Background(), k, remote.Source{Path: src, Size: -1}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if ok, err := r.CheckPresent(context.Background(), k); !ok || err != nil {
		t.Errorf("after the retry: CheckPresent = %v, %v", ok, err)
	}
}

// A download cut off midway fails as retryable; the retry asks only for
// the rest (Range) and the sink ends up whole.
func TestRetrieveResumesAfterDroppedConnection(t *testing.T) {
	p, _, r, k, src := faultSetup(t)
	ctx := context.Background()
	if err := r.Store(ctx, k, remote.Source{Path: src, Size: -1}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(src)
	var ranges []string
	p.set(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodGet {
			return false
		}
		ranges = append(ranges, r.Header.Get("Range"))
		if len(ranges) > 1 {
			return false
		}
		w.Header().Set("Content-Length", "262144")
		w.WriteHeader(http.StatusOK)
		w.Write(want[:100_000])
		w.(http.Flusher).Flush()
		dropConnection(w)
		return true
	})
	sink, err := remotetest.NewFileSink(filepath.Join(t.TempDir(), "sink"))
	if err != nil {
		t.Fatal(err)
	}
	err = r.Retrieve(ctx, k, sink, progress.Discard)
	if err == nil || !remote.Retryable(err) {
		t.Fatalf("Retrieve with the connection dropped: %v", err)
	}
	if sink.Offset() != 100_000 {
		t.Fatalf("sink holds %d bytes, want the 100000 sent", sink.Offset())
	}
	if err := r.Retrieve(ctx, k, sink, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if got, _ := sink.Bytes(); !bytes.Equal(got, want) {
		t.Errorf("resumed content differs (%d bytes)", len(got))
	}
	if len(ranges) != 2 || ranges[0] != "" || ranges[1] != "bytes=100000-" {
		t.Errorf("Range headers %q, want none then bytes=100000-", ranges)
	}
}

func TestRetrieveServerError(t *testing.T) {
	p, _, r, k, _ := faultSetup(t)
	p.set(func(w http.ResponseWriter, r *http.Request) bool {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
		return true
	})
	sink, _ := remotetest.NewFileSink(filepath.Join(t.TempDir(), "sink"))
	err := r.Retrieve(context.Background(), k, sink, progress.Discard)
	if !errors.Is(err, remote.ErrUnavailable) || errors.Is(err, remote.ErrNotPresent) || !strings.Contains(err.Error(), "503") {
		t.Errorf("Retrieve from a failing server: %v", err)
	}
	if _, err := r.CheckPresent(context.Background(), k); !errors.Is(err, remote.ErrUnavailable) {
		t.Errorf("CheckPresent on a failing server: %v", err)
	}
}
