package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/uuid"
)

var payload = bytes.Repeat([]byte("0123456789abcdef"), 4096) // 64 KiB

func payloadKey(t *testing.T, b []byte) key.Key {
	t.Helper()
	sum := sha256.Sum256(b)
	k, err := key.Parse(fmt.Sprintf("SHA256E-s%d--%s.bin", len(b), hex.EncodeToString(sum[:])))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// server serves payload at /ranged (Range supported), /plain (Range
// ignored), /short (claims the full length, sends half), /garbage (right
// length, wrong bytes) and 404 elsewhere. It counts Range requests.
type server struct {
	*httptest.Server
	ranges int
}

func newServer(t *testing.T) *server {
	s := &server{}
	mux := http.NewServeMux()
	mux.HandleFunc("/ranged", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Range") != "" {
			s.ranges++
		}
		http.ServeContent(w, r, "ranged", fixedTime, bytes.NewReader(payload))
	})
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
		if r.Method != http.MethodHead {
			w.Write(payload)
		}
	})
	mux.HandleFunc("/short", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
		if r.Method != http.MethodHead {
			w.Write(payload[:len(payload)/2])
		}
	})
	mux.HandleFunc("/garbage", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
		if r.Method != http.MethodHead {
			w.Write(bytes.Repeat([]byte{'x'}, len(payload)))
		}
	})
	mux.HandleFunc("/named", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Disposition", `attachment; filename="report 1.pdf"`)
		w.Write([]byte("pdf"))
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

var localOK = Options{AllowedAddresses: "127.0.0.1 [::1]"}

func sink(t *testing.T, prefix []byte) *remotetest.FileSink {
	t.Helper()
	p := filepath.Join(t.TempDir(), "dl")
	if err := os.WriteFile(p, prefix, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := remotetest.NewFileSink(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readSink(t *testing.T, s *remotetest.FileSink) []byte {
	t.Helper()
	b, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDownloadResumes(t *testing.T) {
	srv := newServer(t)
	c := NewClient(localOK)
	for _, tc := range []struct {
		path       string
		prefix     int
		wantRanges int
	}{
		{"/ranged", 0, 0},
		{"/ranged", 1000, 1},
		{"/plain", 1000, 0}, // the server ignores Range: the sink restarts
		{"/ranged", len(payload), 1},
	} {
		t.Run(fmt.Sprintf("%s@%d", tc.path, tc.prefix), func(t *testing.T) {
			srv.ranges = 0
			dst := sink(t, payload[:tc.prefix])
			if err := c.Download(context.Background(), srv.URL+tc.path, dst, progress.Discard); err != nil {
				t.Fatal(err)
			}
			if got := readSink(t, dst); !bytes.Equal(got, payload) {
				t.Errorf("content: got %d bytes, want the %d of the payload", len(got), len(payload))
			}
			if srv.ranges != tc.wantRanges {
				t.Errorf("range requests = %d, want %d", srv.ranges, tc.wantRanges)
			}
		})
	}
}

func TestDownloadErrors(t *testing.T) {
	srv := newServer(t)
	c := NewClient(localOK)
	dst := sink(t, nil)
	err := c.Download(context.Background(), srv.URL+"/nonesuch", dst, progress.Discard)
	if err == nil || err.Error() != "download failed: Not Found" {
		t.Errorf("404: got %v, want git-annex's \"download failed: Not Found\"", err)
	}
	err = c.Download(context.Background(), srv.URL+"/short", dst, progress.Discard)
	var de *DownloadError
	if !errors.As(err, &de) {
		t.Fatalf("truncated body: got %v, want a *DownloadError", err)
	}
	if got := dst.Offset(); got != int64(len(payload)/2) {
		t.Errorf("truncated body: sink holds %d bytes, want the %d that arrived (kept for resume)", got, len(payload)/2)
	}
}

func TestSecurity(t *testing.T) {
	srv := newServer(t)
	ctx := context.Background()
	_, err := NewClient(Options{}).Info(ctx, srv.URL+"/ranged")
	want := "Configuration of annex.security.allowed-ip-addresses does not allow accessing address 127.0.0.1"
	if err == nil || err.Error() != want {
		t.Errorf("loopback by default: got %v, want %q", err, want)
	}
	err = NewClient(Options{}).Download(ctx, srv.URL+"/ranged", sink(t, nil), progress.Discard)
	if err == nil || err.Error() != "download failed: "+want {
		t.Errorf("download from loopback: got %v", err)
	}
	if _, err := NewClient(Options{AllowedAddresses: "all"}).Info(ctx, srv.URL+"/ranged"); err != nil {
		t.Errorf("allowed-ip-addresses=all: %v", err)
	}
	port := srv.Listener.Addr().(interface{ AddrPort() netip.AddrPort }).AddrPort().Port()
	if _, err := NewClient(Options{AllowedAddresses: fmt.Sprintf("[127.0.0.1]:%d", port+1)}).Info(ctx, srv.URL+"/ranged"); err == nil {
		t.Errorf("an allowed address with another port let the request through")
	}
	if _, err := NewClient(Options{AllowedAddresses: fmt.Sprintf("[127.0.0.1]:%d", port)}).Info(ctx, srv.URL+"/ranged"); err != nil {
		t.Errorf("[addr]:port: %v", err)
	}
	f := filepath.Join(t.TempDir(), "f")
	os.WriteFile(f, []byte("x"), 0o644)
	_, err = NewClient(Options{}).Info(ctx, "file://"+f)
	wantScheme := "Configuration of annex.security.allowed-url-schemes does not allow accessing file://" + f
	if err == nil || err.Error() != wantScheme {
		t.Errorf("file scheme by default: got %v, want %q", err, wantScheme)
	}
	info, err := NewClient(Options{AllowedSchemes: []string{"file"}}).Info(ctx, "file://"+f)
	if err != nil || !info.Exists || info.Size != 1 {
		t.Errorf("file scheme allowed: %+v %v", info, err)
	}
}

func TestAddressRules(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1": false, "0.1.2.3": false, "10.1.1.1": false, "172.16.0.1": false, "172.32.0.1": true,
		"192.168.1.1": false, "169.254.1.1": false, "100.64.0.0": false, "100.64.0.1": true,
		"8.8.8.8": true, "::1": false, "::": false, "fd00::1": false, "fe80::1": false,
		"::ffff:127.0.0.1": false, "64:ff9b::a00:1": false, "2001:db8::1": true,
	} {
		err := newPolicy(nil, "").addressAllowed(netip.AddrPortFrom(netip.MustParseAddr(addr), 80))
		if (err == nil) != want {
			t.Errorf("%s: allowed = %v, want %v", addr, err == nil, want)
		}
	}
	if got := showAddr(netip.MustParseAddr("::1")); got != "0:0:0:0:0:0:0:1" {
		t.Errorf("showAddr(::1) = %q, want git-annex's uncompressed form", got)
	}
}

func TestInfo(t *testing.T) {
	srv := newServer(t)
	c := NewClient(localOK)
	got, err := c.Info(context.Background(), srv.URL+"/named")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(URLInfo{Exists: true, Size: 3, SuggestedFile: "report 1.pdf"}, got); diff != "" {
		t.Errorf("named (-want +got):\n%s", diff)
	}
	got, err = c.Info(context.Background(), srv.URL+"/nonesuch")
	if err != nil || got.Exists {
		t.Errorf("missing: %+v %v", got, err)
	}
}

func TestRemote(t *testing.T) {
	srv := newServer(t)
	ctx := context.Background()
	h := remotetest.NewHost(t)
	r := New(h, localOK)
	k := payloadKey(t, payload)
	if r.UUID() != uuid.Web || r.Name() != "web" || r.Cost() != remote.ExpensiveCost {
		t.Errorf("identity: %s %s %v", r.Name(), r.UUID(), r.Cost())
	}
	if err := r.Retrieve(ctx, k, sink(t, nil), progress.Discard); !errors.Is(err, remote.ErrNotPresent) {
		t.Errorf("no urls: got %v, want ErrNotPresent", err)
	}
	if ok, err := r.CheckPresent(ctx, k); ok || err != nil {
		t.Errorf("no urls: present %v %v", ok, err)
	}
	// Another remote's URI and a yt-dlp URL are not downloaded; a broken
	// URL is skipped for a good one.
	for _, u := range []string{":other:thing", "yt:" + srv.URL + "/video", srv.URL + "/short", srv.URL + "/plain"} {
		h.SetURLPresent(ctx, k, u)
	}
	dst := sink(t, nil)
	if err := r.Retrieve(ctx, k, dst, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readSink(t, dst), payload) {
		t.Errorf("retrieved content differs")
	}
	if ok, err := r.CheckPresent(ctx, k); !ok || err != nil {
		t.Errorf("present: %v %v", ok, err)
	}
	urls, _ := r.Whereis(ctx, k)
	if diff := cmp.Diff([]string{srv.URL + "/short", srv.URL + "/plain"}, urls); diff != "" {
		t.Errorf("whereis (-want +got):\n%s", diff)
	}
	// A key of another size is not present at these URLs.
	other := payloadKey(t, payload[:10])
	h.SetURLPresent(ctx, other, srv.URL+"/plain")
	if ok, _ := r.CheckPresent(ctx, other); ok {
		t.Errorf("size mismatch counted as present")
	}
	if err := r.Retrieve(ctx, other, sink(t, nil), progress.Discard); err == nil || !strings.Contains(err.Error(), "downloading from all 1 known url(s) failed") {
		t.Errorf("size mismatch retrieve: %v", err)
	}
	if err := r.Store(ctx, k, remote.Source{}, progress.Discard); !errors.Is(err, remote.ErrUnsupported) {
		t.Errorf("store: %v", err)
	}
	if err := r.Remove(ctx, k); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{srv.URL + "/short", srv.URL + "/plain"}, h.MissingURLs()); diff != "" {
		t.Errorf("remove marks the web urls missing (-want +got):\n%s", diff)
	}
}

func TestGarbageIsCaughtBySize(t *testing.T) {
	// Same length, wrong bytes: the web remote cannot tell, the caller's
	// hash check does (Retrieve does not verify); here we check that the
	// bytes arrive unchanged for that check to see.
	srv := newServer(t)
	dst := sink(t, nil)
	if err := NewClient(localOK).Download(context.Background(), srv.URL+"/garbage", dst, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if k := payloadKey(t, readSink(t, dst)); k == payloadKey(t, payload) {
		t.Errorf("garbage hashed like the payload")
	}
}

func TestSplitDownloader(t *testing.T) {
	for in, want := range map[string]struct {
		u string
		d Downloader
	}{
		"http://a/b":    {"http://a/b", WebDownloader},
		"yt:http://a/b": {"http://a/b", YoutubeDownloader},
		"quvi:http://x": {"http://x", YoutubeDownloader},
		":ext:KEY":      {"ext:KEY", OtherDownloader},
		"file:///t/f":   {"file:///t/f", WebDownloader},
	} {
		u, d := SplitDownloader(in)
		if u != want.u || d != want.d {
			t.Errorf("SplitDownloader(%q) = %q, %v; want %q, %v", in, u, d, want.u, want.d)
		}
		// "quvi:" is read but never written.
		if got := WithDownloader(u, d); !strings.HasPrefix(in, "quvi:") && got != in {
			t.Errorf("WithDownloader(%q, %v) = %q, want %q", u, d, got, in)
		}
	}
}

func FuzzSplitDownloader(f *testing.F) {
	for _, s := range []string{"http://a", "yt:x", ":a:b", "", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, d := SplitDownloader(s)
		if !strings.HasPrefix(s, "quvi:") && WithDownloader(u, d) != s {
			t.Errorf("round trip of %q: %q %v", s, u, d)
		}
	})
}

func FuzzParseAddrMatch(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "[::1]:80", "[10.0.0.1]", "all", "[x]:y", "["} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, ok := parseAddrMatch(s)
		if ok && !m.addr.IsValid() {
			t.Errorf("%q accepted with an invalid address", s)
		}
	})
}

var fixedTime = mustTime("2023-01-26T00:00:00Z")
