package external

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/uuid"
)

const testUUID = uuid.UUID("fc75b738-0e0a-4bc3-9d1c-9a2a4b9e6b6a")

// object writes content as a local object (a file named by its key) and
// returns its key and path.
func object(t *testing.T, content string) (key.Key, string) {
	t.Helper()
	k, err := key.Parse("WORM-s" + strconv.Itoa(len(content)) + "--obj" + strconv.Itoa(len(content)) + "." + strings.ReplaceAll(content[:min(3, len(content))], " ", "_"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), k.File())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, k.File())
	if err := os.WriteFile(p, []byte(content), 0o444); err != nil {
		t.Fatal(err)
	}
	return k, p
}

// setUp runs Setup (INITREMOTE) with the helper in mode on PATH and opens
// the remote, as initremote and a later command would.
func setUp(t *testing.T, mode string) (*Remote, *remotetest.Host, string) {
	t.Helper()
	dir, _ := helperScript(t, "testext", mode)
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	h := remotetest.NewHost(t)
	store := filepath.Join(t.TempDir(), "store")
	cfg := remote.Config{"name": "ext", "type": "external", "externaltype": "testext", "encryption": "none", "storedir": store}
	ctx := context.Background()
	res, err := Type.Setup(ctx, remote.Init, testUUID, cfg, h)
	if err != nil {
		t.Fatalf("Setup: %v", err)
	}
	for k, v := range res.GitConfig {
		h.SetGitConfig("remote.ext."+k, v)
	}
	rr, err := Type.New(ctx, remote.Params{Name: "ext", UUID: testUUID, Config: res.Config, Cost: 200, Host: h})
	if err != nil {
		t.Fatal(err)
	}
	r := rr.(*Remote)
	t.Cleanup(func() { r.Close(context.Background()) })
	return r, h, store
}

func TestSetup(t *testing.T) {
	dir, _ := helperScript(t, "testext", "listconfigs")
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	h := remotetest.NewHost(t)
	store := filepath.Join(t.TempDir(), "store")
	cfg := remote.Config{"name": "ext", "type": "external", "externaltype": "testext", "encryption": "none", "storedir": store}
	res, err := Type.Setup(context.Background(), remote.Init, testUUID, cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	want := remote.SetupResult{
		Config: remote.Config{"name": "ext", "type": "external", "externaltype": "testext", "encryption": "none",
			"storedir": store, "myextra": "hello world"},
		GitConfig: map[string]string{"annex-externaltype": "testext", "annex-cost": "150.0", "annex-availability": "LocallyAvailable"},
	}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("Setup (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string][2]string{"mycreds": {"user", "pass word"}}, h.AllCreds()); diff != "" {
		t.Errorf("SETCREDS (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(store); err != nil {
		t.Errorf("INITREMOTE did not run: %v", err)
	}

	// LISTCONFIGS is answered: an unknown setting is refused.
	cfg["bogus"] = "1"
	_, err = Type.Setup(context.Background(), remote.Init, testUUID, cfg, h)
	if err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("Setup with bogus=1: %v, want an error naming it", err)
	}
	delete(cfg, "bogus")

	// readonly=true runs nothing and is kept out of remote.log.
	ro := remote.Config{"name": "ext", "type": "external", "externaltype": "nonexistent", "readonly": "true"}
	res, err = Type.Setup(context.Background(), remote.Enable, testUUID, ro, h)
	if err != nil {
		t.Fatal(err)
	}
	if res.Config["readonly"] != "" || res.GitConfig["annex-readonly"] != "true" {
		t.Errorf("readonly setup = %+v", res)
	}
}

func TestSetupErrors(t *testing.T) {
	h := remotetest.NewHost(t)
	_, err := Type.Setup(context.Background(), remote.Init, testUUID, remote.Config{"name": "x"}, h)
	if err == nil || err.Error() != "Specify externaltype=" {
		t.Errorf("no externaltype: %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	_, err = Type.Setup(context.Background(), remote.Init, testUUID, remote.Config{"name": "x", "externaltype": "nonexist"}, h)
	if err == nil || !strings.HasPrefix(err.Error(), "Cannot run git-annex-remote-nonexist -- It is not installed in PATH (") {
		t.Errorf("missing program: %v", err)
	}

	dir, _ := helperScript(t, "testext", "initfail")
	t.Setenv("PATH", dir)
	_, err = Type.Setup(context.Background(), remote.Init, testUUID, remote.Config{"name": "x", "externaltype": "testext", "storedir": "/x"}, h)
	if err == nil || !strings.Contains(err.Error(), "INITREMOTE failed: You need to set storedir=") {
		t.Errorf("INITREMOTE-FAILURE: %v", err)
	}
}

func testCycle(t *testing.T, mode string) {
	r, h, store := setUp(t, mode)
	ctx := context.Background()
	content := "hello external world"
	k, src := object(t, content)

	if ok, err := r.CheckPresent(ctx, k); err != nil || ok {
		t.Fatalf("CheckPresent before Store = %v, %v", ok, err)
	}
	m := &countMeter{}
	if err := r.Store(ctx, k, remote.Source{Path: src, Size: -1}, m); err != nil {
		t.Fatalf("Store: %v", err)
	}
	got, err := os.ReadFile(filepath.Join(store, k.HashDirLower(), k.String()))
	if err != nil || string(got) != content {
		t.Fatalf("stored object = %q, %v", got, err)
	}
	if diff := cmp.Diff([]int64{int64(len(content) / 2), int64(len(content) - len(content)/2)}, m.adds); diff != "" {
		t.Errorf("PROGRESS to meter (-want +got):\n%s", diff)
	}
	if st, _ := h.State(ctx, k); st != "stored by helper" {
		t.Errorf("SETSTATE not recorded: %q", st)
	}
	if diff := cmp.Diff([]string{":testext:" + k.String(), "http://example.com/" + k.String()}, urls(t, h, k)); diff != "" {
		t.Errorf("SETURIPRESENT/SETURLPRESENT (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"stored " + k.String()}, h.Infos()); diff != "" {
		t.Errorf("INFO (-want +got):\n%s", diff)
	}
	if d := h.Debugs(); len(d) == 0 || !strings.HasPrefix(d[0], "prepared ") {
		t.Errorf("DEBUG = %q", d)
	}

	// A part of a file is stored through a temporary file named by the key.
	_, src2 := object(t, "xxpartial contentyy")
	part := remote.Source{Path: src2, Offset: 2, Size: 15}
	k2p, _ := key.Parse("WORM-s15--part")
	if err := r.Store(ctx, k2p, part, nil); err != nil {
		t.Fatalf("Store of a section: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(store, k2p.HashDirLower(), k2p.String())); string(got) != "partial content" {
		t.Errorf("stored section = %q", got)
	}
	if ents, _ := os.ReadDir(h.TmpDir()); len(ents) != 0 {
		t.Errorf("temporary files left in %s: %v", h.TmpDir(), ents)
	}

	if ok, err := r.CheckPresent(ctx, k); err != nil || !ok {
		t.Fatalf("CheckPresent after Store = %v, %v", ok, err)
	}
	dst := filepath.Join(t.TempDir(), "dst")
	if err := r.Retrieve(ctx, k, newFileSink(t, dst), nil); err != nil {
		t.Fatalf("Retrieve: %v", err)
	}
	if got, _ := os.ReadFile(dst); string(got) != content {
		t.Errorf("retrieved %q", got)
	}

	where, err := r.Whereis(ctx, k)
	if err != nil || !cmp.Equal(where, []string{"testext:" + k.String()}) {
		t.Errorf("Whereis = %q, %v", where, err)
	}
	info, err := r.InfoContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]remote.InfoField{{Name: "externaltype", Value: "testext"}, {Name: "store dir", Value: store}}, info); diff != "" {
		t.Errorf("Info (-want +got):\n%s", diff)
	}
	if ok, err := r.ClaimURL(ctx, "testext:foo"); err != nil || !ok {
		t.Errorf("ClaimURL(testext:foo) = %v, %v", ok, err)
	}
	if ok, err := r.ClaimURL(ctx, "http://x"); err != nil || ok {
		t.Errorf("ClaimURL(http://x) = %v, %v", ok, err)
	}
	cu, err := r.CheckURL(ctx, "testext:foo")
	if err != nil || !cmp.Equal(cu, []remote.URLContent{{URL: "testext:foo", Size: 5, File: "some file.txt"}}) {
		t.Errorf("CheckURL = %v, %v", cu, err)
	}
	cu, err = r.CheckURL(ctx, "testext:foo/list")
	if err != nil || !cmp.Equal(cu, []remote.URLContent{{URL: "testext:a", Size: 3, File: "a.txt"}, {URL: "testext:b", Size: -1, File: "b.txt"}}) {
		t.Errorf("CheckURL multi = %v, %v", cu, err)
	}
	if _, err := r.CheckURL(ctx, "ftp://x"); err == nil || !strings.Contains(err.Error(), "not mine: ftp://x") {
		t.Errorf("CHECKURL-FAILURE: %v", err)
	}
	if r.Availability() != remote.LocallyAvailable {
		t.Errorf("Availability = %v", r.Availability())
	}

	if err := r.Remove(ctx, k); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if err := r.Remove(ctx, k); err != nil {
		t.Fatalf("Remove of an absent key: %v", err)
	}
	if ok, err := r.CheckPresent(ctx, k); err != nil || ok {
		t.Fatalf("CheckPresent after Remove = %v, %v", ok, err)
	}
	if where, err := r.Whereis(ctx, k); err != nil || where != nil {
		t.Errorf("Whereis after Remove = %q, %v", where, err)
	}
	// TRANSFER-FAILURE without a message is a plain failure.
	err = r.Retrieve(ctx, k, newFileSink(t, filepath.Join(t.TempDir(), "dst")), nil)
	if err == nil || !strings.Contains(err.Error(), "TRANSFER RETRIEVE "+k.String()+" failed") {
		t.Errorf("Retrieve of a removed key: %v", err)
	}
	unknown, _ := key.Parse("WORM-s1--unknown")
	if _, err := r.CheckPresent(ctx, unknown); err == nil || !errors.Is(err, remote.ErrUnavailable) ||
		!strings.Contains(err.Error(), "cannot reach the store") {
		t.Errorf("CHECKPRESENT-UNKNOWN: %v", err)
	}
}

func TestCycle(t *testing.T)      { testCycle(t, "") }
func TestCycleAsync(t *testing.T) { testCycle(t, "async") }

// TestConcurrent stores from several goroutines: unframed helpers are
// started one per concurrent job and reused, an ASYNC helper is shared.
func TestConcurrent(t *testing.T) {
	for _, mode := range []string{"", "async"} {
		t.Run("mode="+mode, func(t *testing.T) {
			pids := t.TempDir()
			t.Setenv("HELPER_PID_DIR", pids)
			r, _, store := setUp(t, mode)
			ctx := context.Background()
			const n = 8
			var wg sync.WaitGroup
			errs := make([]error, n)
			keys := make([]key.Key, n)
			for i := range n {
				k, p := object(t, strings.Repeat("c", i+1))
				keys[i] = k
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = r.Store(ctx, k, remote.Source{Path: p, Size: -1}, nil)
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("Store %d: %v", i, err)
				}
				if _, err := os.Stat(filepath.Join(store, keys[i].HashDirLower(), keys[i].String())); err != nil {
					t.Error(err)
				}
			}
			r.Close(ctx)
			ents, _ := os.ReadDir(pids)
			// One helper ran Setup; the command's own helpers follow.
			if mode == "async" && len(ents) != 2 {
				t.Errorf("%d helpers started in ASYNC mode, want 1 (+1 for Setup)", len(ents)-1)
			}
			if mode == "" && (len(ents) < 2 || len(ents) > n+1) {
				t.Errorf("%d helpers started, want 1..%d (+1 for Setup)", len(ents)-1, n)
			}
		})
	}
}

// switchMode rewrites the remote's helper script to a new mode, as if the
// helper misbehaved from now on.
func switchMode(t *testing.T, mode string) {
	t.Helper()
	_, path := helperScript(t, "testext", mode)
	dir := strings.Split(os.Getenv("PATH"), string(os.PathListSeparator))[0]
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(filepath.Join(dir, ProgramPrefix+"testext"), data, 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestMisbehavingHelper(t *testing.T) {
	tests := []struct {
		mode string
		op   string
		want string
	}{
		{"crash", "store", "exited unexpectedly (exit status 3)"},
		{"garbage", "checkpresent", `protocol error: external special remote protocol: malformed message: unknown command "BANANA"`},
		{"error", "remove", "external special remote error: the store caught fire"},
		{"version2", "checkpresent", "only version 1 is supported"},
		{"badext", "checkpresent", "requested the extension TELEPATHY"},
		{"preparefail", "checkpresent", "PREPARE failed: no network"},
		{"async,crash", "store", "exited unexpectedly"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			r, _, _ := setUp(t, "")
			switchMode(t, tt.mode)
			ctx := context.Background()
			k, p := object(t, "data")
			var err error
			switch tt.op {
			case "store":
				err = r.Store(ctx, k, remote.Source{Path: p, Size: -1}, nil)
			case "checkpresent":
				_, err = r.CheckPresent(ctx, k)
			case "remove":
				err = r.Remove(ctx, k)
			}
			if err == nil {
				t.Fatalf("%s with a %s helper succeeded", tt.op, tt.mode)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "git-annex-remote-testext (remote ext)") {
				t.Errorf("%s error = %q, want it to name the program and remote and contain %q", tt.op, err, tt.want)
			}
			// A well-behaved helper is used again afterwards.
			switchMode(t, "")
			if err := r.Store(ctx, k, remote.Source{Path: p, Size: -1}, nil); err != nil && tt.mode != "preparefail" {
				t.Errorf("Store after recovery: %v", err)
			}
		})
	}
}

// TestHangCancelled: a helper that stops answering is killed when the
// request's context is cancelled.
func TestHangCancelled(t *testing.T) {
	pids := t.TempDir()
	r, _, _ := setUp(t, "")
	switchMode(t, "hang")
	t.Setenv("HELPER_PID_DIR", pids)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	k, p := object(t, "data")
	m := &countMeter{onAdd: cancel} // the helper sends PROGRESS 1, then hangs
	err := r.Store(ctx, k, remote.Source{Path: p, Size: -1}, m)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "git-annex-remote-testext (remote ext)") {
		t.Fatalf("Store with a hanging helper = %v", err)
	}
	r.Close(context.Background())
	ents, _ := os.ReadDir(pids)
	for _, e := range ents {
		var pid int
		for _, c := range e.Name() {
			pid = pid*10 + int(c-'0')
		}
		if err := syscall.Kill(pid, 0); err == nil {
			t.Errorf("hanging helper %d still running", pid)
		}
	}
}

func TestKeyWithSpace(t *testing.T) {
	r, _, _ := setUp(t, "")
	k, err := key.Parse("WORM-s1--a b")
	if err != nil {
		t.Skip("key.Parse refuses spaces") // nothing to test then
	}
	err = r.Store(context.Background(), k, remote.Source{Path: "/dev/null", Size: -1}, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "Sorry, this file cannot be stored on an external special remote because its key's name contains a space.") {
		t.Errorf("Store of a key with a space: %v", err)
	}
}

func TestGetURLs(t *testing.T) {
	h := remotetest.NewHost(t)
	k, _ := key.Parse("WORM-s1--k")
	for _, u := range []string{"http://a/1", ":testext:x", ":other:y", "https://b"} {
		if err := h.SetURLPresent(context.Background(), k, u); err != nil {
			t.Fatal(err)
		}
	}
	p := newPeer("ext", testUUID, "git-annex-remote-testext", nil, h)
	got, err := p.urls(context.Background(), k, "testext:")
	if err != nil || !cmp.Equal(got, []string{"testext:x"}) {
		t.Errorf("urls(testext:) = %q, %v", got, err)
	}
	got, _ = p.urls(context.Background(), k, "")
	if !cmp.Equal(got, []string{"http://a/1", "testext:x", "other:y", "https://b"}) {
		t.Errorf("urls() = %q", got)
	}
	if p.gitDir() != filepath.Dir(filepath.Dir(h.TmpDir())) || !strings.HasSuffix(p.gitDir(), ".git") {
		t.Errorf("gitDir = %q", p.gitDir())
	}
}

// urls returns all the URLs h records for k.
func urls(t *testing.T, h *remotetest.Host, k key.Key) []string {
	t.Helper()
	u, err := h.URLs(context.Background(), k, "")
	if err != nil {
		t.Fatal(err)
	}
	return u
}
