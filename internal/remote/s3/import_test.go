package s3

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/uuid"
)

// countingProxy records the method of every request it passes on, and
// can strip If-Match as a server that ignores the condition would.
type countingProxy struct {
	stripIfMatch bool
	proxy        *httputil.ReverseProxy

	mu      sync.Mutex
	methods []string
}

func (p *countingProxy) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	p.mu.Lock()
	p.methods = append(p.methods, req.Method)
	p.mu.Unlock()
	if p.stripIfMatch {
		req.Header.Del("If-Match")
	}
	p.proxy.ServeHTTP(w, req)
}

// take returns the methods seen since the last take.
func (p *countingProxy) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.methods
	p.methods = nil
	return m
}

// TestRetrieveImportUnversioned checks that a file of an unversioned
// bucket is fetched with one conditional GET (no HEAD first), and that a
// changed file is refused whether the server honours If-Match or not.
func TestRetrieveImportUnversioned(t *testing.T) {
	srv := s3Server(t)
	setCreds(t, srv)
	ctx := context.Background()
	target, err := url.Parse(srv.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	for _, strip := range []bool{false, true} {
		name := map[bool]string{false: "if-match honoured", true: "if-match ignored"}[strip]
		t.Run(name, func(t *testing.T) {
			cp := &countingProxy{stripIfMatch: strip, proxy: httputil.NewSingleHostReverseProxy(target)}
			ps := httptest.NewServer(cp)
			defer ps.Close()
			bucket := newBucket()
			cfg := testCfg(srv.Addr(), bucket, "v2")
			cfg["importtree"] = "yes"
			initRemote(t, cfg, uuid.New())
			cfg = testCfg(strings.TrimPrefix(ps.URL, "http://"), bucket, "v2")
			cfg["importtree"] = "yes"
			r, err := New(remote.Params{Name: "cloud", UUID: uuid.New(), Config: cfg, Host: remotetest.NewHost(t)})
			if err != nil {
				t.Fatal(err)
			}
			c := client(t, srv)
			putDirect(t, c, bucket, "a.txt", "first a")
			files, err := r.ListImportable(ctx)
			if err != nil || len(files) != 1 {
				t.Fatalf("ListImportable = %+v, %v", files, err)
			}
			cid := files[0].CID
			retrieve := func() (string, error) {
				sink, err := remotetest.NewFileSink(filepath.Join(t.TempDir(), "got"))
				if err != nil {
					t.Fatal(err)
				}
				defer sink.Close()
				err = r.RetrieveImport(ctx, files[0].Loc, cid, sink, progress.Discard)
				b, _ := sink.Bytes()
				return string(b), err
			}
			cp.take()
			if got, err := retrieve(); got != "first a" || err != nil {
				t.Errorf("RetrieveImport = %q, %v", got, err)
			}
			if diff := cmp.Diff([]string{http.MethodGet}, cp.take()); diff != "" {
				t.Errorf("requests of one RetrieveImport (-want +got):\n%s", diff)
			}
			putDirect(t, c, bucket, "a.txt", "second a")
			if got, err := retrieve(); !errors.Is(err, remote.ErrContentChanged) || got == "second a" {
				t.Errorf("RetrieveImport of a changed file = %q, %v; want ErrContentChanged and nothing of the new content", got, err)
			}
		})
	}
}
