package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/chunked"
	"github.com/troveproject/trove/internal/remote/encrypted"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/testutil"
	"github.com/troveproject/trove/internal/uuid"
)

// testCfg is the config of a remote on srv (or on addr, a proxy in front
// of it) in bucket, as initremote takes it.
func testCfg(addr, bucket, signature string) remote.Config {
	host, port, _ := strings.Cut(addr, ":")
	return remote.Config{
		"name": "cloud", "type": "S3", "encryption": "none", "bucket": bucket,
		"host": host, "port": port, "protocol": "http", "requeststyle": "path", "signature": signature,
	}
}

// setCreds puts srv's credentials in the environment, where the remote
// and initremote look first.
func setCreds(t testing.TB, srv *testutil.S3Server) {
	t.Setenv(EnvAccessKey, srv.AccessKey)
	t.Setenv(EnvSecretKey, srv.SecretKey)
}

// initRemote runs initremote's Setup for cfg (creating the bucket) and
// opens the remote, stacked as the annex layer stacks it.
func initRemote(t testing.TB, cfg remote.Config, u uuid.UUID) (remote.Remote, *remotetest.Host) {
	t.Helper()
	ctx := context.Background()
	h := remotetest.NewHost(t)
	cfg, err := encrypted.Setup(ctx, remote.Init, cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Type.Setup(ctx, remote.Init, u, cfg, h)
	if err != nil {
		t.Fatalf("initremote %v: %v", cfg, err)
	}
	p := remote.Params{Name: "cloud", UUID: u, Config: res.Config, Host: h}
	base, err := Type.New(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := encrypted.Wrap(base, p)
	if err != nil {
		t.Fatal(err)
	}
	r, err := chunked.Wrap(enc, p)
	if err != nil {
		t.Fatal(err)
	}
	return r, h
}

var bucketSeq atomic.Int64

// newBucket is a fresh bucket name for one test.
func newBucket() string { return fmt.Sprintf("trove-test-%d", bucketSeq.Add(1)) }

func TestConformance(t *testing.T) {
	srv := s3Server(t)
	setCreds(t, srv)
	for _, tc := range []struct {
		name  string
		extra remote.Config
	}{
		{"v2", nil},
		{"v4", remote.Config{"signature": "v4"}},
		{"fileprefix", remote.Config{"fileprefix": "annex/"}},
		{"multipart", remote.Config{"partsize": "5MiB"}},
		{"chunked", remote.Config{"chunk": "100KiB"}},
		{"encrypted", remote.Config{"encryption": "shared"}},
		{"chunked encrypted", remote.Config{"encryption": "shared", "chunk": "300KiB"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := remotetest.Options{Size: 256 << 10}
			if tc.name == "multipart" {
				opts = remotetest.Options{Size: 1 << 20, Large: 11 << 20}
			}
			for _, c := range remotetest.Checks(nil, opts) {
				if c.Name == "odd key names" {
					// MinIO refuses object names with an empty path
					// segment, as in the check's URL key ("http://");
					// AWS accepts them. TestOddKeyNames covers the rest.
					continue
				}
				t.Run(c.Name, func(t *testing.T) {
					cfg := testCfg(srv.Addr(), newBucket(), "v2")
					maps.Copy(cfg, tc.extra)
					r, _ := initRemote(t, cfg, uuid.New())
					o := opts
					o.TmpDir = t.TempDir()
					for _, check := range remotetest.Checks(r, o) {
						if check.Name == c.Name {
							if err := check.Run(context.Background()); err != nil {
								t.Fatal(err)
							}
						}
					}
				})
			}
		})
	}
}

// TestOddKeyNames stores keys whose names hold characters that need
// escaping in URLs and signatures; the objects are named by the keys
// exactly.
func TestOddKeyNames(t *testing.T) {
	srv := s3Server(t)
	setCreds(t, srv)
	ctx := context.Background()
	for _, sig := range []string{"v2", "v4"} {
		bucket := newBucket()
		r, _ := initRemote(t, testCfg(srv.Addr(), bucket, sig), uuid.New())
		for i, name := range []string{"a b?c&d=%41+e", "dir/sub/é ü;:@,$!'()*", "URL--http:/example.com/x?y=1#frag"} {
			src, k := testKey(t, t.TempDir(), fmt.Sprint(i), "odd "+name)
			k.Name = name
			k.Variety = "WORM"
			if err := r.Store(ctx, k, src, progress.Discard); err != nil {
				t.Errorf("%s: store %q: %v", sig, k, err)
				continue
			}
			if got := string(objectData(t, client(t, srv), bucket, k.String())); got != "odd "+name {
				t.Errorf("%s: object %q = %q", sig, k, got)
			}
			if ok, err := r.CheckPresent(ctx, k); !ok || err != nil {
				t.Errorf("%s: present %q = %v, %v", sig, k, ok, err)
			}
			if err := r.Remove(ctx, k); err != nil {
				t.Errorf("%s: remove %q: %v", sig, k, err)
			}
		}
	}
}

// client is a direct client of srv, to look at the bucket behind the
// remote's back.
func client(t *testing.T, srv *testutil.S3Server) *minio.Client {
	c, err := minio.New(srv.Addr(), &minio.Options{Creds: credentials.NewStaticV4(srv.AccessKey, srv.SecretKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// objectData returns the content of object in bucket.
func objectData(t *testing.T, c *minio.Client, bucket, object string) []byte {
	t.Helper()
	body, _, _, err := minio.Core{Client: c}.GetObject(context.Background(), bucket, object, minio.GetObjectOptions{})
	if err != nil {
		t.Fatalf("get %s/%s: %v", bucket, object, err)
	}
	defer body.Close()
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testKey returns a file of content in dir and its WORM key named name.
func testKey(t *testing.T, dir, name, content string) (remote.Source, key.Key) {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := key.Parse(fmt.Sprintf("WORM-s%d-m1700000000--%s", len(content), name))
	if err != nil {
		t.Fatal(err)
	}
	return remote.Source{Path: p, Size: -1}, k
}

func TestLayoutMarkerAndDefaults(t *testing.T) {
	srv := s3Server(t)
	setCreds(t, srv)
	ctx := context.Background()
	u := uuid.UUID("5a8d6c2e-1111-4222-8333-444455556666")
	cfg := testCfg(srv.Addr(), "", "v2")
	delete(cfg, "bucket")
	cfg["fileprefix"] = "pre/"
	h := remotetest.NewHost(t)
	res, err := Type.Setup(ctx, remote.Init, u, cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	want := remote.Config{
		"name": "cloud", "type": "S3", "encryption": "none", "bucket": "cloud-" + string(u), "datacenter": "US",
		"fileprefix": "pre/", "host": "127.0.0.1", "port": cfg["port"], "protocol": "http", "requeststyle": "path",
		"signature": "v2", "storageclass": "STANDARD",
	}
	if got := res.Config; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("initremote config\n got %v\nwant %v", got, want)
	}
	if c := h.AllCreds()[""]; c != [2]string{srv.AccessKey, srv.SecretKey} {
		t.Errorf("initremote stored creds %q; want the environment's", c)
	}
	c := client(t, srv)
	if got := string(objectData(t, c, want["bucket"], "pre/annex-uuid")); got != string(u) {
		t.Errorf("annex-uuid marker = %q, want %q", got, u)
	}
	r, err := New(remote.Params{Name: "cloud", UUID: u, Config: res.Config, Host: h})
	if err != nil {
		t.Fatal(err)
	}
	src, k := testKey(t, t.TempDir(), "hello", "hello s3")
	if err := r.Store(ctx, k, src, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if got := string(objectData(t, c, want["bucket"], "pre/"+k.String())); got != "hello s3" {
		t.Errorf("object pre/%s = %q", k, got)
	}
	// Again with the same UUID: the marker matches.
	if _, err := Type.Setup(ctx, remote.Init, u, res.Config, h); err != nil {
		t.Errorf("initremote of the same remote again: %v", err)
	}
	// Another remote may not take the bucket.
	_, err = Type.Setup(ctx, remote.Init, uuid.New(), res.Config, h)
	if !errors.Is(err, ErrBucketInUse) {
		t.Errorf("initremote of another remote in the bucket = %v, want ErrBucketInUse", err)
	}
}

func TestInitRemoteWithoutCreds(t *testing.T) {
	t.Setenv(EnvAccessKey, "")
	t.Setenv(EnvSecretKey, "")
	_, err := Type.Setup(context.Background(), remote.Init, uuid.New(), testCfg("127.0.0.1:1", "b", "v2"), remotetest.NewHost(t))
	if !errors.Is(err, ErrNoCreds) || !strings.Contains(err.Error(), "git annex initremote cloud") {
		t.Errorf("initremote without creds = %v; want ErrNoCreds and the command to run again", err)
	}
}

func TestWrongCredentialsArePermanent(t *testing.T) {
	srv := s3Server(t)
	setCreds(t, srv)
	ctx := context.Background()
	cfg := testCfg(srv.Addr(), newBucket(), "v2")
	initRemote(t, cfg, uuid.New())
	for _, sig := range []string{"v2", "v4"} {
		t.Setenv(EnvSecretKey, "not-the-secret")
		cfg["signature"] = sig
		r, err := New(remote.Params{Name: "cloud", UUID: uuid.New(), Config: cfg, Host: remotetest.NewHost(t)})
		if err != nil {
			t.Fatal(err)
		}
		src, k := testKey(t, t.TempDir(), "secret-"+sig, "secret")
		err = r.Store(ctx, k, src, progress.Discard)
		if err == nil || remote.Retryable(err) || !strings.Contains(err.Error(), EnvAccessKey) || !strings.Contains(err.Error(), EnvSecretKey) {
			t.Errorf("%s: store with a wrong secret = %v; want a permanent error naming the variables", sig, err)
		}
		if _, err := r.CheckPresent(ctx, k); err == nil {
			t.Errorf("%s: CheckPresent with a wrong secret succeeded", sig)
		}
		setCreds(t, srv)
		good, err := New(remote.Params{Name: "cloud", UUID: uuid.New(), Config: cfg, Host: remotetest.NewHost(t)})
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := good.CheckPresent(ctx, k); ok || err != nil {
			t.Errorf("%s: after a refused store, present = %v, %v", sig, ok, err)
		}
	}
}

func TestMissingBucket(t *testing.T) {
	srv := s3Server(t)
	setCreds(t, srv)
	r, err := New(remote.Params{Name: "cloud", UUID: uuid.New(), Config: testCfg(srv.Addr(), "no-such-bucket", "v4"), Host: remotetest.NewHost(t)})
	if err != nil {
		t.Fatal(err)
	}
	src, k := testKey(t, t.TempDir(), "x", "x")
	err = r.Store(context.Background(), k, src, progress.Discard)
	if err == nil || remote.Retryable(err) || !strings.Contains(err.Error(), "no-such-bucket") || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("store into a missing bucket = %v; want a permanent error naming the bucket", err)
	}
}

// faultProxy is a reverse proxy in front of srv that breaks the uploads
// (PUT requests, of parts with the query partNumber=2 when part is set)
// of objects whose name contains "fault" as mode says.
type faultProxy struct {
	mode  string // "500" or "drop"
	part  bool
	puts  atomic.Int64
	proxy *httputil.ReverseProxy
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method == http.MethodPut && strings.Contains(req.URL.Path, "fault") && (!p.part || req.URL.Query().Get("partNumber") == "2") {
		p.puts.Add(1)
		switch p.mode {
		case "500":
			_, _ = io.Copy(io.Discard, req.Body)
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected</Message></Error>`)
			return
		case "drop":
			// Read part of the body, then cut the connection.
			_, _ = io.CopyN(io.Discard, req.Body, 1000)
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
	}
	p.proxy.ServeHTTP(w, req)
}

func TestServerFaults(t *testing.T) {
	srv := s3Server(t)
	setCreds(t, srv)
	target, err := url.Parse(srv.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"500", "drop", "multipart 500", "multipart drop"} {
		t.Run(mode, func(t *testing.T) {
			fault, multipart := strings.CutPrefix(mode, "multipart ")
			fp := &faultProxy{mode: fault, part: multipart, proxy: httputil.NewSingleHostReverseProxy(target)}
			ps := httptest.NewServer(fp)
			defer ps.Close()
			bucket := newBucket()
			initRemote(t, testCfg(srv.Addr(), bucket, "v2"), uuid.New())
			cfg := testCfg(strings.TrimPrefix(ps.URL, "http://"), bucket, "v2")
			size := 150000
			if multipart {
				cfg["partsize"] = "5MiB"
				size = 12 << 20
			}
			r, err := New(remote.Params{Name: "cloud", UUID: uuid.New(), Config: cfg, Host: remotetest.NewHost(t)})
			if err != nil {
				t.Fatal(err)
			}
			src, k := testKey(t, t.TempDir(), "fault", strings.Repeat("x", size))
			err = r.Store(context.Background(), k, src, progress.Discard)
			if err == nil || !remote.Retryable(err) || !errors.Is(err, remote.ErrUnavailable) {
				t.Errorf("store through a failing server = %v; want a retryable ErrUnavailable", err)
			}
			if n := fp.puts.Load(); n < 2 || n > maxRetries+1 {
				t.Errorf("%d PUT attempts; want the client's retries (2..%d)", n, maxRetries+1)
			}
			// Nothing is there, as the server itself says.
			if _, err := client(t, srv).StatObject(context.Background(), bucket, k.String(), minio.StatObjectOptions{}); minio.ToErrorResponse(err).Code != minio.NoSuchKey {
				t.Errorf("after the failed store, stat = %v; want NoSuchKey", err)
			}
			if ok, err := r.CheckPresent(context.Background(), k); ok || err != nil {
				t.Errorf("after the failed store, present = %v, %v", ok, err)
			}
			// A failed multipart upload is aborted, leaving no parts.
			for u := range client(t, srv).ListIncompleteUploads(context.Background(), bucket, "", true) {
				t.Errorf("after the failed store, an incomplete upload remains: %+v", u)
			}
			// Other objects still pass through the proxy.
			src2, k2 := testKey(t, t.TempDir(), "fine", "fine")
			if err := r.Store(context.Background(), k2, src2, progress.Discard); err != nil {
				t.Errorf("store of another key: %v", err)
			}
		})
	}
}

func TestMultipartObjectIsWhole(t *testing.T) {
	srv := s3Server(t)
	setCreds(t, srv)
	bucket := newBucket()
	r, _ := initRemote(t, func() remote.Config {
		c := testCfg(srv.Addr(), bucket, "v4")
		c["partsize"] = "5MiB"
		return c
	}(), uuid.New())
	data := bytes.Repeat([]byte("0123456789abcdef"), (12<<20)/16+3)
	dir := t.TempDir()
	p := filepath.Join(dir, "big")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	k, _ := key.Parse(fmt.Sprintf("WORM-s%d-m1--big", len(data)))
	if err := r.Store(context.Background(), k, remote.Source{Path: p, Size: -1}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	info, err := client(t, srv).StatObject(context.Background(), bucket, k.String(), minio.StatObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Size != int64(len(data)) || !strings.HasSuffix(info.ETag, "-3") {
		t.Errorf("object size %d etag %q; want %d bytes in 3 parts", info.Size, info.ETag, len(data))
	}
}

func TestExport(t *testing.T) {
	srv := s3Server(t)
	setCreds(t, srv)
	ctx := context.Background()
	bucket := newBucket()
	cfg := testCfg(srv.Addr(), bucket, "v2")
	cfg["exporttree"] = "yes"
	cfg["fileprefix"] = "tree/"
	base, _ := initRemote(t, cfg, uuid.New())
	r := base.(*Remote)
	c := client(t, srv)
	if _, err := c.StatObject(ctx, bucket, "tree/annex-uuid", minio.StatObjectOptions{}); minio.ToErrorResponse(err).Code != minio.NoSuchKey {
		t.Errorf("an export remote got an annex-uuid marker (stat: %v)", err)
	}
	src, k := testKey(t, t.TempDir(), "a", "exported content")
	from, _ := remote.NewExportLocation("dir/a b.txt")
	to, _ := remote.NewExportLocation("other/c.txt")
	if err := r.StoreExport(ctx, src, k, from, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if got := string(objectData(t, c, bucket, "tree/dir/a b.txt")); got != "exported content" {
		t.Errorf("exported object = %q", got)
	}
	if ok, err := r.RenameExport(ctx, k, from, to); !ok || err != nil {
		t.Fatalf("RenameExport = %v, %v", ok, err)
	}
	for loc, want := range map[remote.ExportLocation]bool{from: false, to: true} {
		if ok, err := r.CheckPresentExport(ctx, k, loc); ok != want || err != nil {
			t.Errorf("CheckPresentExport(%s) = %v, %v; want %v", loc, ok, err, want)
		}
	}
	sink, err := remotetest.NewFileSink(filepath.Join(t.TempDir(), "got"))
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	if err := r.RetrieveExport(ctx, k, to, sink, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if got, _ := sink.Bytes(); string(got) != "exported content" {
		t.Errorf("RetrieveExport = %q", got)
	}
	if err := r.RemoveExport(ctx, k, to); err != nil {
		t.Fatal(err)
	}
	if err := r.RemoveExport(ctx, k, to); err != nil {
		t.Errorf("removing an absent export: %v", err)
	}
	if ok, err := r.CheckPresentExport(ctx, k, to); ok || err != nil {
		t.Errorf("after RemoveExport, present = %v, %v", ok, err)
	}
}

// putDirect writes object into bucket behind the remote's back, as
// someone else changing the bucket would.
func putDirect(t *testing.T, c *minio.Client, bucket, object, content string) {
	t.Helper()
	if _, err := c.PutObject(context.Background(), bucket, object, strings.NewReader(content), int64(len(content)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestImport(t *testing.T) {
	srv := s3Server(t)
	setCreds(t, srv)
	ctx := context.Background()
	for _, versioning := range []string{"no", "yes"} {
		t.Run("versioning="+versioning, func(t *testing.T) {
			bucket := newBucket()
			cfg := testCfg(srv.Addr(), bucket, "v4")
			// git-annex (and Trove) refuse exporttree=yes with importtree=yes
			// on an unversioned bucket; import alone is allowed there.
			exportTree := map[string]string{"no": "no", "yes": "yes"}[versioning]
			cfg["exporttree"], cfg["importtree"], cfg["versioning"], cfg["fileprefix"] = exportTree, "yes", versioning, "tree/"
			base, _ := initRemote(t, cfg, uuid.New())
			r := base.(*Remote)
			c := client(t, srv)
			putDirect(t, c, bucket, "tree/a.txt", "first a")
			putDirect(t, c, bucket, "tree/sub/b.txt", "b")
			putDirect(t, c, bucket, "tree/.git-annex-tmp-content-x", "in progress")
			putDirect(t, c, bucket, "elsewhere.txt", "not under the prefix")
			files, err := r.ListImportable(ctx)
			if err != nil {
				t.Fatal(err)
			}
			cids := map[string]remote.ContentID{}
			for _, f := range files {
				cids[f.Loc.String()] = f.CID
			}
			if len(files) != 2 || cids["a.txt"] == "" || cids["sub/b.txt"] == "" {
				t.Fatalf("ListImportable = %+v; want a.txt and sub/b.txt", files)
			}
			if versioning == "no" && !strings.HasPrefix(string(cids["a.txt"]), "#") {
				t.Errorf("unversioned content id %q; want #ETAG", cids["a.txt"])
			}
			a, _ := remote.NewExportLocation("a.txt")
			retrieve := func(cid remote.ContentID) (string, error) {
				sink, err := remotetest.NewFileSink(filepath.Join(t.TempDir(), "got"))
				if err != nil {
					t.Fatal(err)
				}
				defer sink.Close()
				err = r.RetrieveImport(ctx, a, cid, sink, progress.Discard)
				b, _ := sink.Bytes()
				return string(b), err
			}
			if got, err := retrieve(cids["a.txt"]); got != "first a" || err != nil {
				t.Errorf("RetrieveImport = %q, %v", got, err)
			}
			// Someone changes a.txt on the remote.
			putDirect(t, c, bucket, "tree/a.txt", "second a")
			got, err := retrieve(cids["a.txt"])
			if versioning == "yes" {
				if got != "first a" || err != nil {
					t.Errorf("RetrieveImport of the old version = %q, %v; want it by its version ID", got, err)
				}
			} else if !errors.Is(err, remote.ErrContentChanged) {
				t.Errorf("RetrieveImport of a changed file = %q, %v; want ErrContentChanged", got, err)
			}
			src, k := testKey(t, t.TempDir(), "mine", "mine")
			if _, err := r.StoreExportWithContentID(ctx, src, k, a, []remote.ContentID{cids["a.txt"]}, progress.Discard); !errors.Is(err, remote.ErrContentChanged) {
				t.Errorf("store over a changed file = %v; want ErrContentChanged", err)
			}
			if got := string(objectData(t, c, bucket, "tree/a.txt")); got != "second a" {
				t.Errorf("the changed file became %q", got)
			}
			files, _ = r.ListImportable(ctx)
			for _, f := range files {
				cids[f.Loc.String()] = f.CID
			}
			cid, err := r.StoreExportWithContentID(ctx, src, k, a, []remote.ContentID{cids["a.txt"]}, progress.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := r.CheckPresentExportWithContentID(ctx, k, a, []remote.ContentID{cid}); !ok || err != nil {
				t.Errorf("present with the new content id = %v, %v", ok, err)
			}
			if ok, _ := r.CheckPresentExportWithContentID(ctx, k, a, []remote.ContentID{cids["a.txt"]}); ok {
				t.Errorf("present with the replaced content id")
			}
			if err := r.RemoveExportWithContentID(ctx, k, a, []remote.ContentID{cids["a.txt"]}); !errors.Is(err, remote.ErrContentChanged) {
				t.Errorf("remove with a stale content id = %v; want ErrContentChanged", err)
			}
			if err := r.RemoveExportWithContentID(ctx, k, a, []remote.ContentID{cid}); err != nil {
				t.Fatal(err)
			}
			if ok, err := r.CheckPresentExport(ctx, k, a); ok || err != nil {
				t.Errorf("after remove, present = %v, %v", ok, err)
			}
		})
	}
}
