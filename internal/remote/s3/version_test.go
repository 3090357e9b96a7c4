package s3

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minio/minio-go/v7"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/uuid"
)

// metaHost is a remotetest.Host that keeps per-remote metadata as
// git-annex does, in .log.rmet bytes per key (fields "UUID:FIELD"),
// stamped with a fixed clock.
type metaHost struct {
	*remotetest.Host
	uuid uuid.UUID

	mu   sync.Mutex
	logs map[key.Key][]byte
}

func newMetaHost(t testing.TB, u uuid.UUID) *metaHost {
	return &metaHost{Host: remotetest.NewHost(t), uuid: u, logs: map[key.Key][]byte{}}
}

func (h *metaHost) RemoteMetaData(_ context.Context, k key.Key, field string) ([]string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return logs.CurrentMetaData(logs.ParseMetaLog(h.logs[k])).Values(string(h.uuid) + ":" + field), nil
}

func (h *metaHost) SetRemoteMetaData(_ context.Context, k key.Key, field, value string, set bool) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	md := logs.MetaData{{Name: string(h.uuid) + ":" + field, Values: []logs.MetaValue{{Value: value, Set: set}}}}
	h.logs[k] = logs.AddMetaData(h.logs[k], md, logs.FromUnix(1700000000, 0))
	return nil
}

// log returns k's .log.rmet.
func (h *metaHost) log(k key.Key) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return string(h.logs[k])
}

// setLog replaces k's .log.rmet (as a merge from another repository would).
func (h *metaHost) setLog(k key.Key, b string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.logs[k] = []byte(b)
}

var _ remote.MetaDataHost = (*metaHost)(nil)

func TestObjectVersionText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want objectVersion
		ok   bool
	}{
		{"4f0a37c4-cf6b-4924-9683-c97c3a7e37de#p/g.txt", objectVersion{"p/g.txt", "4f0a37c4-cf6b-4924-9683-c97c3a7e37de"}, true},
		{"v1#a#b", objectVersion{"a#b", "v1"}, true}, // the object is everything after the first '#'
		{"v1", objectVersion{"", "v1"}, true},
		{"#obj", objectVersion{}, false},
		{"", objectVersion{}, false},
		{strings.Repeat("v", maxVersionIDLen) + "#o", objectVersion{}, false},
		{"v\xff#o", objectVersion{}, false},
	} {
		got, ok := parseObjectVersion(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseObjectVersion(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		if ok && strings.Count(tc.in, "#") > 0 && got.String() != tc.in {
			t.Errorf("%+v.String() = %q; want %q", got, got.String(), tc.in)
		}
	}
}

func FuzzParseObjectVersion(f *testing.F) {
	f.Add("4f0a37c4-cf6b-4924-9683-c97c3a7e37de#p/g.txt")
	f.Add("v#")
	f.Add("#")
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := parseObjectVersion(s)
		if !ok {
			return
		}
		if v.id == "" || strings.Contains(v.id, "#") {
			t.Fatalf("parseObjectVersion(%q) = %+v: bad version ID", s, v)
		}
		if strings.Contains(s, "#") && v.String() != s {
			t.Fatalf("parseObjectVersion(%q).String() = %q", s, v.String())
		}
		if again, ok := parseObjectVersion(v.String()); !ok || again != v {
			t.Fatalf("round trip of %q: %+v, %v", s, again, ok)
		}
	})
}

// TestVersionedExport exports to a versioned bucket: each store records
// the object's version ID as git-annex does, the key stays retrievable by
// that version after its file is removed from the export or replaced,
// and a file whose key has no recorded version is not removed.
func TestVersionedExport(t *testing.T) {
	srv := s3Server(t)
	setCreds(t, srv)
	ctx := context.Background()
	u := uuid.New()
	bucket := newBucket()
	cfg := testCfg(srv.Addr(), bucket, "v4")
	cfg["exporttree"], cfg["versioning"], cfg["fileprefix"] = "yes", "yes", "p/"
	initRemote(t, cfg, u)
	h := newMetaHost(t, u)
	r, err := New(remote.Params{Name: "cloud", UUID: u, Config: cfg, Host: h})
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := remote.NewExportLocation("sub/a.txt")
	src, k := testKey(t, t.TempDir(), "a", "first a")
	if err := r.StoreExport(ctx, src, k, loc, progress.Discard); err != nil {
		t.Fatal(err)
	}
	// The log line is git-annex's: "TS UUID:V +VERSIONID#OBJECT".
	var vid string
	c := client(t, srv)
	for o := range c.ListObjects(ctx, bucket, listVersions("p/sub/a.txt")) {
		vid = o.VersionID
	}
	if vid == "" {
		t.Fatal("no version of p/sub/a.txt in the bucket")
	}
	if diff := cmp.Diff("1700000000s "+string(u)+":V +"+vid+"#p/sub/a.txt\n", h.log(k)); diff != "" {
		t.Errorf(".log.rmet after the export (-want +got):\n%s", diff)
	}
	retrieve := func() (string, error) {
		sink, err := remotetest.NewFileSink(filepath.Join(t.TempDir(), "got"))
		if err != nil {
			t.Fatal(err)
		}
		defer sink.Close()
		err = r.Retrieve(ctx, k, sink, progress.Discard)
		b, _ := sink.Bytes()
		return string(b), err
	}
	// Replace the file, then remove it from the export: the key is still
	// there by its version.
	putDirect(t, c, bucket, "p/sub/a.txt", "someone else's")
	if err := r.RemoveExport(ctx, k, loc); err != nil {
		t.Fatal(err)
	}
	if ok, err := r.CheckPresentExport(ctx, k, loc); ok || err != nil {
		t.Errorf("exported file present after RemoveExport: %v, %v", ok, err)
	}
	if got, err := retrieve(); got != "first a" || err != nil {
		t.Errorf("Retrieve after the file left the export = %q, %v; want it by its version", got, err)
	}
	if ok, err := r.CheckPresent(ctx, k); !ok || err != nil {
		t.Errorf("CheckPresent after the file left the export = %v, %v", ok, err)
	}

	// A key without a recorded version: not present by key, and its
	// exported file is not removed (it may be the only copy).
	_, k2 := testKey(t, t.TempDir(), "b", "b content")
	loc2, _ := remote.NewExportLocation("b.txt")
	putDirect(t, c, bucket, "p/b.txt", "b content")
	if err := r.RemoveExport(ctx, k2, loc2); err == nil || remote.Retryable(err) {
		t.Errorf("RemoveExport without a recorded version = %v; want a permanent refusal", err)
	}
	if ok, _ := r.CheckPresentExport(ctx, k2, loc2); !ok {
		t.Errorf("the file without a recorded version was removed")
	}
	if ok, err := r.CheckPresent(ctx, k2); ok || err != nil {
		t.Errorf("CheckPresent without a recorded version = %v, %v; want false", ok, err)
	}
	sink, _ := remotetest.NewFileSink(filepath.Join(t.TempDir(), "b"))
	defer sink.Close()
	if err := r.Retrieve(ctx, k2, sink, progress.Discard); !errors.Is(err, remote.ErrNotPresent) {
		t.Errorf("Retrieve without a recorded version = %v; want ErrNotPresent", err)
	}
}

// TestVersionReadFromGitAnnexLog retrieves by a version recorded the way
// git-annex writes it (a log of several lines, another remote's field,
// an unset value), taking the first value currently set.
func TestVersionReadFromGitAnnexLog(t *testing.T) {
	srv := s3Server(t)
	setCreds(t, srv)
	ctx := context.Background()
	u := uuid.New()
	bucket := newBucket()
	cfg := testCfg(srv.Addr(), bucket, "v2")
	cfg["versioning"] = "yes"
	initRemote(t, cfg, u)
	h := newMetaHost(t, u)
	r, err := New(remote.Params{Name: "cloud", UUID: u, Config: cfg, Host: h})
	if err != nil {
		t.Fatal(err)
	}
	c := client(t, srv)
	_, k := testKey(t, t.TempDir(), "k", "old content")
	info1 := putDirectInfo(t, c, bucket, "elsewhere/old", "old content")
	putDirectInfo(t, c, bucket, "elsewhere/old", "newer content")
	other := uuid.New()
	h.setLog(k, "1600000000s "+string(other)+":V +zzz#nothing\n"+
		"1600000001s "+string(u)+":V +"+info1.VersionID+"#elsewhere/old\n"+
		"1600000002s "+string(u)+":V -aaa#gone\n")
	sink, err := remotetest.NewFileSink(filepath.Join(t.TempDir(), "got"))
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	if err := r.Retrieve(ctx, k, sink, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if b, _ := sink.Bytes(); string(b) != "old content" {
		t.Errorf("Retrieve = %q; want the recorded version's content", b)
	}
	// A plain store on a versioned (non-export) remote records nothing,
	// as git-annex 10.20230126 (checked against it) does.
	src, k2 := testKey(t, t.TempDir(), "plain", "plain")
	if err := r.Store(ctx, k2, src, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if got := h.log(k2); got != "" {
		t.Errorf(".log.rmet after a key store = %q; want none", got)
	}
}

// listVersions lists every version of the objects under prefix.
func listVersions(prefix string) minio.ListObjectsOptions {
	return minio.ListObjectsOptions{Prefix: prefix, Recursive: true, WithVersions: true}
}

// putDirectInfo stores content as object behind the remote's back and
// returns what S3 said of it.
func putDirectInfo(t *testing.T, c *minio.Client, bucket, object, content string) minio.UploadInfo {
	t.Helper()
	info, err := c.PutObject(context.Background(), bucket, object, strings.NewReader(content), int64(len(content)), minio.PutObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// TestVersionedExportWhereis lists the public URLs of the versions
// recorded for a key of a versioned export, as git-annex's
// getPublicWebUrls; an unversioned export has none for a key.
func TestVersionedExportWhereis(t *testing.T) {
	u := uuid.New()
	k, err := key.Parse("SHA256E-s6--7e4fa2eb8c7ac089739d5defc4489fad68a100d92082ca35c6b40a4524821f87.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, versioning := range []string{"yes", "no"} {
		cfg := testCfg("127.0.0.1:9", "b", "v2")
		cfg["exporttree"], cfg["versioning"], cfg["public"], cfg["publicurl"] = "yes", versioning, "yes", "https://pub.example/"
		h := newMetaHost(t, u)
		h.setLog(k, "1700000000s "+string(u)+":V +v2#p/a+b.txt +v1#p/old.txt\n")
		r, err := New(remote.Params{Name: "cloud", UUID: u, Config: cfg, Host: h})
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Whereis(context.Background(), k)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][]string{
			"yes": {"https://pub.example/p/old.txt?versionId=v1", "https://pub.example/p/a%2Bb.txt?versionId=v2"},
			"no":  nil,
		}[versioning]
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("versioning=%s: Whereis (-want +got):\n%s", versioning, diff)
		}
	}
}
