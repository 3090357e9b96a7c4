package annex

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/clock"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/testutil"
	"github.com/troveproject/trove/internal/uuid"
)

const (
	hostRemoteUUID uuid.UUID = "5e000000-0000-4000-8000-000000000005"
	hostTestKey    string    = "SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt"
)

// newHostRepo makes a Trove repository at a fixed time and a Host for a
// special remote "sr" in it.
func newHostRepo(t *testing.T, cfg remote.Config) (*Repo, *specialHost) {
	t.Helper()
	useTestEnv(t)
	dir := testutil.NewRepo(t)
	testutil.RunGit(t, dir, "config", "annex.uuid", string(cloneUUID))
	r, err := Init(context.Background(), dir, InitOptions{Description: "here", Dir: dir, Clock: clock.Fixed(time.Unix(1700000000, 0))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, r.newSpecialHost("sr", hostRemoteUUID, hostRemoteUUID, cfg)
}

func branchData(t *testing.T, r *Repo, path string) string {
	t.Helper()
	b, err := r.branch.Get(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHostStateURLsAndChunkCounts(t *testing.T) {
	ctx := context.Background()
	r, h := newHostRepo(t, remote.Config{"type": "directory", "name": "sr"})
	k := mustKey(t, hostTestKey)

	if s, err := h.State(ctx, k); err != nil || s != "" {
		t.Fatalf("State before SetState = %q, %v", s, err)
	}
	if err := h.SetState(ctx, k, "stored by sr"); err != nil {
		t.Fatal(err)
	}
	if s, err := h.State(ctx, k); err != nil || s != "stored by sr" {
		t.Fatalf("State = %q, %v", s, err)
	}
	// git-annex's .log.rmt line, in the key's hash directory.
	if got, want := branchData(t, r, "e7d/d01/"+hostTestKey+".log.rmt"), "1700000000s "+string(hostRemoteUUID)+" stored by sr\n"; got != want {
		t.Errorf(".log.rmt = %q, want %q", got, want)
	}
	if err := h.SetState(ctx, k, "a\nb"); err == nil {
		t.Error("SetState accepted a newline")
	}

	for _, u := range []string{"http://example.com/a", ":sr:x"} {
		if err := h.SetURLPresent(ctx, k, u); err != nil {
			t.Fatal(err)
		}
	}
	got, err := h.URLs(ctx, k, "")
	if err != nil {
		t.Fatal(err)
	}
	// git-annex lists a key's URLs sorted (its compacted log is a map).
	if d := cmp.Diff([]string{":sr:x", "http://example.com/a"}, got); d != "" {
		t.Errorf("URLs (-want +got):\n%s", d)
	}
	if got, _ := h.URLs(ctx, k, ":sr:"); !cmp.Equal(got, []string{":sr:x"}) {
		t.Errorf("URLs with prefix = %q", got)
	}
	locs, _ := r.Locations(ctx, k)
	if !cmp.Equal(locs, []uuid.UUID{uuid.Web}) {
		t.Errorf("after a web URL the location log has %v, want the web", locs)
	}
	if err := h.SetURLMissing(ctx, k, "http://example.com/a"); err != nil {
		t.Fatal(err)
	}
	if locs, _ := r.Locations(ctx, k); len(locs) != 0 {
		t.Errorf("after the last web URL went, the location log has %v", locs)
	}
	if got, _ := h.URLs(ctx, k, ""); !cmp.Equal(got, []string{":sr:x"}) {
		t.Errorf("URLs after SetURLMissing = %q", got)
	}

	if err := h.SetChunkCount(ctx, k, 5, 3); err != nil {
		t.Fatal(err)
	}
	if err := h.SetChunkCount(ctx, k, 1048576, 0); err != nil {
		t.Fatal(err)
	}
	counts, err := h.ChunkCounts(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[int64]int64{5: 3, 1048576: 0}, counts); d != "" {
		t.Errorf("ChunkCounts (-want +got):\n%s", d)
	}
	want := "1700000000s " + string(hostRemoteUUID) + ":5 3\n1700000000s " + string(hostRemoteUUID) + ":1048576 0\n"
	if got := branchData(t, r, "e7d/d01/"+hostTestKey+".log.cnk"); got != want {
		t.Errorf(".log.cnk = %q, want %q", got, want)
	}
}

func TestHostCredsFiles(t *testing.T) {
	ctx := context.Background()
	r, h := newHostRepo(t, remote.Config{"type": "external", "name": "sr"})
	if _, _, ok, err := h.Creds(ctx, ""); ok || err != nil {
		t.Fatalf("Creds with none stored = %v, %v", ok, err)
	}
	if err := h.SetCreds(ctx, "mycreds", "user", "pass word"); err != nil {
		t.Fatal(err)
	}
	if err := h.SetCreds(ctx, "", "id", "secret"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(r.git.CommonDir, "annex", "creds")
	for name, want := range map[string]string{
		string(hostRemoteUUID) + "-mycreds": "user\npass word\n",
		string(hostRemoteUUID):              "id\nsecret\n",
	} {
		p := filepath.Join(dir, name)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != want {
			t.Errorf("%s = %q, want %q", name, b, want)
		}
		fi, _ := os.Stat(p)
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, fi.Mode().Perm())
		}
	}
	login, pw, ok, err := h.Creds(ctx, "mycreds")
	if err != nil || !ok || login != "user" || pw != "pass word" {
		t.Errorf("Creds(mycreds) = %q %q %v %v", login, pw, ok, err)
	}
	// Without embedcreds nothing goes to remote.log.
	if got := branchData(t, r, logs.RemoteLog); got != "" {
		t.Errorf("remote.log = %q", got)
	}
}

func TestHostEmbeddedCreds(t *testing.T) {
	ctx := context.Background()
	r, h := newHostRepo(t, remote.Config{"type": "S3", "name": "sr", "encryption": "none", "embedcreds": "yes"})
	if err := h.SetCreds(ctx, "", "AKID", "SECRET"); err != nil {
		t.Fatal(err)
	}
	e := logs.ParseRemoteLog([]byte(branchData(t, r, logs.RemoteLog)))[hostRemoteUUID]
	if got, want := e.Value["s3creds"], base64.StdEncoding.EncodeToString([]byte("AKID\nSECRET\n")); got != want {
		t.Errorf("s3creds = %q, want %q", got, want)
	}
	// Another clone has only remote.log: the creds come from there.
	os.RemoveAll(filepath.Join(r.git.CommonDir, "annex", "creds"))
	h2 := r.newSpecialHost("sr", hostRemoteUUID, hostRemoteUUID, remote.Config(e.Value))
	login, pw, ok, err := h2.Creds(ctx, "")
	if err != nil || !ok || login != "AKID" || pw != "SECRET" {
		t.Errorf("embedded Creds = %q %q %v %v", login, pw, ok, err)
	}
}

func TestHostMessagesReachTheHook(t *testing.T) {
	r, h := newHostRepo(t, remote.Config{"type": "directory"})
	h.Warn("collected")
	if got := r.Warnings(); !cmp.Equal(got, []string{"collected"}) {
		t.Errorf("without a hook Warnings = %q", got)
	}
	var got []string
	r.SetRemoteMessages(func(warning bool, msg string) {
		if warning {
			msg = "warning: " + msg
		}
		got = append(got, msg)
	})
	h.Warn("w")
	h.Info("i")
	if d := cmp.Diff([]string{"warning: w", "i"}, got); d != "" {
		t.Errorf("messages (-want +got):\n%s", d)
	}
}

// fakeType is a remote type whose remotes keep content in memory.
func fakeType(setupErr error) *remote.Type {
	return &remote.Type{
		Name:        "fake",
		DefaultCost: remote.ExpensiveCost,
		Setup: func(ctx context.Context, mode remote.SetupMode, u uuid.UUID, cfg remote.Config, h remote.Host) (remote.SetupResult, error) {
			if setupErr != nil {
				return remote.SetupResult{}, setupErr
			}
			out := remote.Config{}
			for k, v := range cfg {
				if k != "where" {
					out[k] = v
				}
			}
			return remote.SetupResult{Config: out, GitConfig: map[string]string{"annex-where": cfg["where"]}}, nil
		},
		New: func(ctx context.Context, p remote.Params) (remote.Remote, error) {
			return &fakeRemote{name: p.Name, u: p.UUID}, nil
		},
	}
}

func TestInitRemoteOpensThroughRegistry(t *testing.T) {
	ctx := context.Background()
	r, _ := newHostRepo(t, nil)
	r.remotes.registry = remote.NewRegistry(fakeType(nil))
	res, err := r.InitRemote(ctx, InitRemoteOptions{Name: "fk", Params: []string{"type=fake", "encryption=none", "where=/x", "my=a b"}})
	if err != nil {
		t.Fatal(err)
	}
	e := logs.ParseRemoteLog([]byte(branchData(t, r, logs.RemoteLog)))
	if d := cmp.Diff(logs.RemoteConfig{"type": "fake", "encryption": "none", "name": "fk", "my": "a b"}, e[res.UUID].Value); d != "" {
		t.Errorf("remote.log config (-want +got):\n%s", d)
	}
	if got := testutil.RunGit(t, r.paths.Top, "config", "remote.fk.annex-where"); got != "/x\n" {
		t.Errorf("annex-where = %q", got)
	}
	// A new Repo (fresh git config) opens the remote with the type's
	// default cost; an encrypted or chunked one is refused by name.
	r2 := openRepo(t, r.paths.Top)
	r2.remotes.registry = remote.NewRegistry(fakeType(nil))
	rm, err := r2.Remote(ctx, "fk")
	if err != nil {
		t.Fatal(err)
	}
	if rm.UUID() != res.UUID || rm.Cost() != remote.ExpensiveCost {
		t.Errorf("opened remote %s cost %v", rm.UUID(), rm.Cost())
	}
	if ir, ok := rm.(remote.InfoReporter); !ok || ir.Type() != "fake" {
		t.Errorf("remote is not an InfoReporter of type fake")
	}
	if _, err := r2.InitRemote(ctx, InitRemoteOptions{Name: "fk", Params: []string{"type=fake", "encryption=none"}}); !errors.Is(err, ErrRemoteUsage) {
		t.Errorf("second initremote fk: %v", err)
	}
	if _, err := r2.InitRemote(ctx, InitRemoteOptions{Name: "e", Params: []string{"type=fake", "encryption=none", "chunksize=1MiB"}}); !errors.Is(err, ErrStackUnsupported) {
		t.Errorf("initremote with legacy chunksize=: %v", err)
	}
	if _, err := r2.InitRemote(ctx, InitRemoteOptions{Name: "e", Params: []string{"type=fake"}}); err == nil || err.Error() != encryptionChoices {
		t.Errorf("initremote without encryption=: %v", err)
	}
}

func TestReadOnlySpecialRemoteRefusesChanges(t *testing.T) {
	s := &specialRemote{Remote: &fakeRemote{name: "x"}, name: "x", readOnly: true}
	k := mustKey(t, hostTestKey)
	if err := s.Store(context.Background(), k, remote.Source{}, progress.Discard); !errors.Is(err, remote.ErrReadOnly) {
		t.Errorf("Store = %v", err)
	}
	if err := s.Remove(context.Background(), k); !errors.Is(err, remote.ErrReadOnly) {
		t.Errorf("Remove = %v", err)
	}
}

func TestDescribeEncryptionAndChunking(t *testing.T) {
	for _, tc := range []struct {
		cfg               remote.Config
		encryption, chunk string
	}{
		{remote.Config{"encryption": "none"}, "none", "none"},
		{remote.Config{"encryption": "shared", "chunk": "1MiB"}, "none", "1.05 megabytes chunks"},
		{remote.Config{"encryption": "shared", "cipher": "x", "chunk": "1MiB"}, "shared (encryption key stored in git repository)", "1.05 megabytes chunks"},
		{remote.Config{"cipher": "x"}, "shared (encryption key stored in git repository)", "none"},
		{remote.Config{"encryption": "hybrid", "cipher": "x", "cipherkeys": "A,B", "chunksize": "10b"}, "hybrid (to gpg keys: A B)", "10 bytes chunks (old style)"},
		{remote.Config{"encryption": "pubkey", "cipher": "x", "cipherkeys": "A"}, "pubkey (to gpg keys: A)", "none"},
		{remote.Config{"encryption": "sharedpubkey", "cipher": "x", "pubkeys": "C", "chunk": "0"}, "sharedpubkey (to gpg keys: C)", "none"},
		{remote.Config{"chunk": "abc"}, "none", "none"},
	} {
		if got := describeEncryption(tc.cfg); got != tc.encryption {
			t.Errorf("describeEncryption(%v) = %q, want %q", tc.cfg, got, tc.encryption)
		}
		if got := describeChunking(tc.cfg); got != tc.chunk {
			t.Errorf("describeChunking(%v) = %q, want %q", tc.cfg, got, tc.chunk)
		}
	}
}

func FuzzParseRemoteParams(f *testing.F) {
	for _, s := range []string{"type=directory", "a=b=c", "novalue", "=x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cfg, err := parseRemoteParams([]string{s})
		if err == nil {
			for k, v := range cfg {
				if k+"="+v != s {
					t.Errorf("%q parsed as %q=%q", s, k, v)
				}
			}
		}
	})
}

// whereisRemote is a fakeRemote that says where keys are.
type whereisRemote struct{ fakeRemote }

func (w *whereisRemote) Whereis(_ context.Context, k key.Key) ([]string, error) {
	return []string{"https://store.example/" + k.String()}, nil
}

func TestWhereisAsksSpecialRemotes(t *testing.T) {
	ctx := context.Background()
	r, _ := newHostRepo(t, nil)
	typ := fakeType(nil)
	typ.New = func(ctx context.Context, p remote.Params) (remote.Remote, error) {
		return &whereisRemote{fakeRemote{name: p.Name, u: p.UUID}}, nil
	}
	r.remotes.registry = remote.NewRegistry(typ)
	res, err := r.InitRemote(ctx, InitRemoteOptions{Name: "fk", Params: []string{"type=fake", "encryption=none"}})
	if err != nil {
		t.Fatal(err)
	}
	k := mustKey(t, hostTestKey)
	if err := r.logLocation(ctx, k, res.UUID, logs.Present); err != nil {
		t.Fatal(err)
	}
	r2 := openRepo(t, r.paths.Top)
	r2.remotes.registry = remote.NewRegistry(typ)
	w, err := r2.WhereIs(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	want := []RemoteURLs{{Remote: "fk", URLs: []string{"https://store.example/" + hostTestKey}}}
	if d := cmp.Diff(want, w.URLs); d != "" {
		t.Errorf("whereis URLs (-want +got):\n%s", d)
	}
}
