package annex

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/testutil"
	"github.com/troveproject/trove/internal/uuid"
)

const (
	originUUID uuid.UUID = "0a000000-0000-4000-8000-000000000001"
	cloneUUID  uuid.UUID = "0c000000-0000-4000-8000-000000000002"
)

// useTestEnv makes this process's git calls (Open, Init) run under
// testutil.Env, as the real git-annex calls of the test do.
func useTestEnv(t *testing.T) {
	t.Helper()
	for _, kv := range testutil.Env(t) {
		name, value, _ := strings.Cut(kv, "=")
		t.Setenv(name, value)
	}
}

// annexOrigin makes a repository initialised by the real git-annex with one
// annexed file, a.txt ("hello world\n"), committed.
func annexOrigin(t *testing.T) string {
	t.Helper()
	useTestEnv(t)
	dir := testutil.NewAnnexRepo(t, originUUID, "origin")
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hello world\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	testutil.RunAnnex(t, dir, "add", "-q", "a.txt")
	testutil.RunGit(t, dir, "commit", "-q", "-m", "a")
	return dir
}

// openRepo opens dir with Trove, closing it when the test ends.
func openRepo(t *testing.T, dir string) *Repo {
	t.Helper()
	r, err := Open(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// annexClone clones origin (as a remote named origin) and initialises the
// clone with the real git-annex, with a fixed UUID.
func annexClone(t *testing.T, origin string) string {
	t.Helper()
	dir := filepath.Join(testutil.TempDir(t), "clone")
	testutil.RunGit(t, filepath.Dir(dir), "clone", "-q", origin, "clone")
	testutil.RunGit(t, dir, "config", "annex.uuid", cloneUUID.String())
	testutil.RunAnnex(t, dir, "init", "-q", "clone")
	return dir
}

func remoteNames(rs []remote.Remote) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name())
	}
	return out
}

func TestRemotesLearnUUID(t *testing.T) {
	ctx := context.Background()
	origin := annexOrigin(t)
	bare := filepath.Join(testutil.TempDir(t), "bare.git")
	testutil.RunGit(t, filepath.Dir(bare), "clone", "-q", "--bare", origin, bare)
	const bareUUID uuid.UUID = "0b000000-0000-4000-8000-000000000003"
	testutil.RunGit(t, bare, "config", "annex.uuid", bareUUID.String())
	testutil.RunAnnex(t, bare, "init", "-q", "bare")
	testutil.RunGit(t, origin, "remote", "add", "bare", bare)
	testutil.RunAnnex(t, origin, "copy", "-q", "--to", "bare", "a.txt")

	for _, tc := range []struct {
		name string
		url  func(clone string) string
		want uuid.UUID
	}{
		{"absolute path", func(string) string { return origin }, originUUID},
		{"file URL", func(string) string { return "file://" + origin }, originUUID},
		{"relative path", func(clone string) string {
			rel, err := filepath.Rel(clone, origin)
			if err != nil {
				t.Fatal(err)
			}
			return rel
		}, originUUID},
		{"bare", func(string) string { return bare }, bareUUID},
		{"bare without .git", func(string) string { return strings.TrimSuffix(bare, ".git") }, bareUUID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clone := annexClone(t, origin)
			testutil.RunGit(t, clone, "remote", "set-url", "origin", tc.url(clone))
			testutil.RunGit(t, clone, "config", "--unset", "remote.origin.annex-uuid")
			r := openRepo(t, clone)
			rm, err := r.Remote(ctx, "origin")
			if err != nil {
				t.Fatal(err)
			}
			if rm.UUID() != tc.want || rm.Cost() != remote.CheapCost {
				t.Errorf("remote origin: uuid %s cost %v, want %s %v", rm.UUID(), rm.Cost(), tc.want, remote.CheapCost)
			}
			if got := strings.TrimSpace(testutil.RunGit(t, clone, "config", "remote.origin.annex-uuid")); got != tc.want.String() {
				t.Errorf("remote.origin.annex-uuid = %q, want %q", got, tc.want)
			}
			if w := r.Warnings(); len(w) != 0 {
				t.Errorf("warnings: %q", w)
			}
			ok, err := rm.CheckPresent(ctx, mustKey(t, helloKey))
			if err != nil || !ok {
				t.Errorf("CheckPresent(a.txt's key) = %v, %v; want true", ok, err)
			}
		})
	}
}

// helloKey is the key of "hello world\n" with a .txt name.
const helloKey = "SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt"

// TestRemotesAutoInitBareWithAnnexBranch: a bare clone that has the
// git-annex branch but was never initialised gets initialised on first use,
// as git-annex does, and the real git-annex agrees on its UUID.
func TestRemotesAutoInitBareWithAnnexBranch(t *testing.T) {
	ctx := context.Background()
	origin := annexOrigin(t)
	bare := filepath.Join(testutil.TempDir(t), "bare.git")
	testutil.RunGit(t, filepath.Dir(bare), "clone", "-q", "--bare", origin, bare)
	testutil.RunGit(t, origin, "remote", "add", "bare", bare)

	r := openRepo(t, origin)
	rm, err := r.Remote(ctx, "bare")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(testutil.RunGit(t, bare, "config", "annex.uuid"))
	if rm.UUID().IsZero() || got != rm.UUID().String() {
		t.Fatalf("bare remote uuid %q, its annex.uuid %q", rm.UUID(), got)
	}
	if v := strings.TrimSpace(testutil.RunGit(t, bare, "config", "annex.version")); v != "10" {
		t.Errorf("annex.version of the initialised bare remote = %q", v)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	// The real git-annex sees the same repository.
	out := testutil.RunAnnex(t, origin, "info", "--fast", "bare")
	if !strings.Contains(out, "uuid: "+rm.UUID().String()) {
		t.Errorf("git annex info bare:\n%s", out)
	}
	uuidLog := testutil.RunGit(t, bare, "show", "git-annex:uuid.log")
	if !strings.Contains(uuidLog, rm.UUID().String()+" ") {
		t.Errorf("the bare remote's uuid.log does not describe it:\n%s", uuidLog)
	}
}

// TestRemotesLeaveOutUnusable: plain git remotes, missing paths, ignored
// and non-local remotes are not offered, and naming them says why.
func TestRemotesLeaveOutUnusable(t *testing.T) {
	ctx := context.Background()
	origin := annexOrigin(t)
	clone := annexClone(t, origin)
	plain := testutil.NewRepo(t)
	testutil.RunGit(t, plain, "commit", "-q", "--allow-empty", "-m", "x")
	gone := filepath.Join(testutil.TempDir(t), "gone")
	testutil.RunGit(t, clone, "remote", "add", "plain", plain)
	testutil.RunGit(t, clone, "remote", "add", "gone", gone)
	testutil.RunGit(t, clone, "remote", "add", "ign", origin)
	testutil.RunGit(t, clone, "config", "remote.ign.annex-ignore", "true")
	testutil.RunGit(t, clone, "remote", "add", "web", "https://example.com/repo.git")

	r := openRepo(t, clone)
	rs, err := r.Remotes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The built-in web remote is always there; the git remote called web
	// is not it.
	if diff := cmp.Diff([]string{"origin", "web"}, remoteNames(rs)); diff != "" {
		t.Errorf("remotes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Remote gone cannot currently be accessed."}, r.Warnings()); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if w := r.Warnings(); w != nil {
		t.Errorf("Warnings did not clear: %q", w)
	}
	for _, tc := range []struct {
		name, want string
		kind       error
	}{
		{"plain", `cannot determine uuid for plain (perhaps you need to run "git annex sync"?)`, ErrRemoteNoUUID},
		{"gone", `cannot determine uuid for gone (perhaps you need to run "git annex sync"?)`, ErrRemoteNoUUID},
		{"ign", "git config --unset remote.ign.annex-ignore", ErrRemoteIgnored},
		{"web", "https://example.com/repo.git", ErrRemoteNotSupported},
	} {
		_, err := r.Remote(ctx, tc.name)
		if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Remote(%q) = %v; want %v mentioning %q", tc.name, err, tc.kind, tc.want)
		}
	}
	var unknown *UnknownRepoError
	if _, err := r.Remote(ctx, "nope"); !errors.As(err, &unknown) || !strings.Contains(err.Error(), "git remote -v") {
		t.Errorf("Remote(nope) = %v", err)
	}
	// Like git-annex, a plain git repository is left alone.
	if out, err := testutil.Command(t, plain, "git", "config", "annex.uuid").Output(); err == nil {
		t.Errorf("the plain git remote got annex.uuid %q", out)
	}
}

func TestRemotesOrderedByCostThenName(t *testing.T) {
	ctx := context.Background()
	origin := annexOrigin(t)
	clone := annexClone(t, origin)
	for _, name := range []string{"b", "a", "c"} {
		testutil.RunGit(t, clone, "remote", "add", name, origin)
	}
	testutil.RunGit(t, clone, "config", "remote.origin.annex-cost", "50")
	testutil.RunGit(t, clone, "config", "remote.c.annex-cost", "150")
	r := openRepo(t, clone)
	rs, err := r.Remotes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"origin", "a", "b", "c", "web"}, remoteNames(rs)); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestLocalRemotePath(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		url, want string
		ok        bool
	}{
		{"/srv/repo", "/srv/repo", true},
		{"../other", "/work/other", true},
		{"sub/r.git/", "/work/top/sub/r.git", true},
		{"file:///srv/my%20repo", "/srv/my repo", true},
		{"~/annex", filepath.Join(home, "annex"), true},
		{"./dir:with:colons", "/work/top/dir:with:colons", true},
		{"host:/srv/repo", "", false},
		{"user@host:repo", "", false},
		{"ssh://host/srv/repo", "", false},
		{"https://example.com/r.git", "", false},
		{"file://host/srv", "", false},
	} {
		got, ok := localRemotePath(tc.url, "/work/top")
		if got != tc.want || ok != tc.ok {
			t.Errorf("localRemotePath(%q) = %q, %v; want %q, %v", tc.url, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzLocalRemotePath(f *testing.F) {
	for _, s := range []string{"/srv/repo", "../x", "file:///a%20b", "host:path", "ssh://h/p", "~/x", "a:b/c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		got, ok := localRemotePath(u, "/base")
		if ok && !filepath.IsAbs(got) {
			t.Errorf("localRemotePath(%q) = %q: not absolute", u, got)
		}
		if ok && strings.Contains(u, "://") && !strings.HasPrefix(u, "file://") {
			t.Errorf("localRemotePath(%q) accepted a URL", u)
		}
	})
}
