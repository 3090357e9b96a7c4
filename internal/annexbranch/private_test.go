package annexbranch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/config"
	"github.com/troveproject/trove/internal/uuid"
)

const (
	privUUID   = "99999999-8888-4777-8666-555555555555"
	publicUUID = fakeUUID
	keyLog     = "abc/def/SHA256E-s1--00.log"
)

func readFile(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(data)
}

// privateBranch is a branch whose key log names the public repository,
// opened with privUUID marked private.
func privateBranch(t *testing.T) (*Branch, string) {
	t.Helper()
	r := plainBranch(t, "sha1", map[string]string{
		keyLog:     "1700000000s 1 " + publicUUID + "\n",
		"uuid.log": publicUUID + " here timestamp=1700000000s\n",
	})
	b := openBranch(t, r)
	b.AddPrivate(uuid.UUID(privUUID))
	return b, r.Top
}

// TestChangeSplitsPrivateLines: a change naming a private UUID goes to the
// private journal only; one naming a public UUID goes to the journal and
// the branch; reads see both, and the branch never names the private one.
func TestChangeSplitsPrivateLines(t *testing.T) {
	b, dir := privateBranch(t)
	ctx := context.Background()
	if err := b.Change(ctx, keyLog, appendLine("1700000001s 1 "+privUUID)); err != nil {
		t.Fatal(err)
	}
	annex := filepath.Join(dir, ".git", "annex")
	if got := readFile(t, filepath.Join(annex, "journal-private", journalName(keyLog))); got != "1700000001s 1 "+privUUID+"\n" {
		t.Errorf("private journal = %q", got)
	}
	if got := readFile(t, filepath.Join(annex, "journal", journalName(keyLog))); got != "" {
		t.Errorf("public journal written for a private change: %q", got)
	}
	if err := b.Change(ctx, keyLog, appendLine("1700000002s 0 "+publicUUID)); err != nil {
		t.Fatal(err)
	}
	if err := b.Change(ctx, "uuid.log", appendLine(privUUID+" secret timestamp=1700000003s")); err != nil {
		t.Fatal(err)
	}
	want := "1700000000s 1 " + publicUUID + "\n1700000002s 0 " + publicUUID + "\n1700000001s 1 " + privUUID + "\n"
	if got, err := b.Get(ctx, keyLog); err != nil || string(got) != want {
		t.Errorf("Get = %q, %v; want %q", got, err, want)
	}
	if err := b.Commit(ctx, ""); err != nil {
		t.Fatal(err)
	}
	log := run(t, dir, "git", "log", "-p", Ref)
	if strings.Contains(log, privUUID) || strings.Contains(log, "secret") {
		t.Errorf("the branch names the private repository:\n%s", log)
	}
	if !strings.Contains(log, "+1700000002s 0 "+publicUUID) {
		t.Errorf("the public change was not committed:\n%s", log)
	}
	if got, _ := b.Get(ctx, keyLog); string(got) != want {
		t.Errorf("after Commit Get = %q, want %q", got, want)
	}
	if got := readFile(t, filepath.Join(annex, "journal-private", "uuid.log")); got != privUUID+" secret timestamp=1700000003s\n" {
		t.Errorf("private uuid.log = %q", got)
	}
}

// TestCommitChangesSplitsPrivateLines: deferred records regarding a private
// repository stay in the private journal.
func TestCommitChangesSplitsPrivateLines(t *testing.T) {
	b, dir := privateBranch(t)
	ctx := context.Background()
	ch := Changes{}
	ch.Add(keyLog, appendLine("1700000005s 1 "+privUUID))
	ch.Add("other.log", appendLine("1700000005s 1 "+publicUUID))
	if err := b.CommitChanges(ctx, ch, ""); err != nil {
		t.Fatal(err)
	}
	if got := run(t, dir, "git", "cat-file", "blob", Ref+":"+keyLog); got != "1700000000s 1 "+publicUUID {
		t.Errorf("branch %s = %q", keyLog, got)
	}
	if got := run(t, dir, "git", "cat-file", "blob", Ref+":other.log"); got != "1700000005s 1 "+publicUUID {
		t.Errorf("branch other.log = %q", got)
	}
	if got := readFile(t, filepath.Join(dir, ".git", "annex", "journal-private", journalName(keyLog))); got != "1700000005s 1 "+privUUID+"\n" {
		t.Errorf("private journal = %q", got)
	}
}

// TestPipelineSeesPrivate: a Pipeline returns what Get returns with a
// private journal.
func TestPipelineSeesPrivate(t *testing.T) {
	b, _ := privateBranch(t)
	ctx := context.Background()
	if err := b.Change(ctx, keyLog, appendLine("1700000001s 1 "+privUUID)); err != nil {
		t.Fatal(err)
	}
	if err := b.Change(ctx, "new.log", appendLine("1700000001s 1 "+privUUID)); err != nil {
		t.Fatal(err)
	}
	pl, err := b.NewPipeline(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer pl.Close()
	for _, p := range []string{keyLog, "new.log", "uuid.log", "absent.log"} {
		want, err := b.Get(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		pd, err := pl.Request(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pl.Result(pd)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s: pipeline vs Get (-want +got):\n%s", p, diff)
		}
	}
}

// TestReadGitAnnexPrivateJournal: what git-annex's initremote --private and
// copy --to write is read back merged, and PrivateFromConfig finds the
// private remote; with no private UUIDs the private journal is ignored,
// as git-annex ignores it.
func TestReadGitAnnexPrivateJournal(t *testing.T) {
	dir, r := annexRepo(t, "main repo")
	ctx := context.Background()
	os.WriteFile(filepath.Join(dir, "f.dat"), []byte("hello\n"), 0o644)
	run(t, dir, "git", "annex", "add", "-q", "f.dat")
	run(t, dir, "git", "commit", "-q", "-m", "add")
	store := t.TempDir()
	run(t, dir, "git", "annex", "initremote", "-q", "foo", "type=directory", "directory="+store, "encryption=none", "--private")
	run(t, dir, "git", "annex", "copy", "-q", "--to", "foo", "f.dat")
	k := run(t, dir, "git", "annex", "lookupkey", "f.dat")
	loc := run(t, dir, "git", "annex", "examinekey", "--format=${hashdirlower}${key}.log", k)
	here := run(t, dir, "git", "config", "annex.uuid")
	foo := run(t, dir, "git", "config", "remote.foo.annex-uuid")

	gc, err := r.ReadConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.New(gc)
	if diff := cmp.Diff([]uuid.UUID{uuid.UUID(foo)}, PrivateFromConfig(cfg)); diff != "" {
		t.Errorf("PrivateFromConfig (-want +got):\n%s", diff)
	}
	b := Open(r, cfg)
	defer b.Close()
	got, err := b.Get(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{here, foo} {
		if !strings.Contains(string(got), " 1 "+u+"\n") {
			t.Errorf("location log lacks %s: %q", u, got)
		}
	}
	if remotes, _ := b.Get(ctx, "remote.log"); !strings.Contains(string(remotes), foo+" ") {
		t.Errorf("remote.log = %q", remotes)
	}
	if strings.Contains(run(t, dir, "git", "log", "-p", Ref), foo) {
		t.Fatal("git-annex committed the private remote; test setup is wrong")
	}

	public := openBranch(t, r)
	if got, _ := public.Get(ctx, loc); strings.Contains(string(got), foo) {
		t.Errorf("without private UUIDs the private journal is read: %q", got)
	}
}

// TestGitAnnexReadsTroveSplit: git-annex, told the remote is private,
// reads Trove's private journal merged with the branch.
func TestGitAnnexReadsTroveSplit(t *testing.T) {
	dir, r := annexRepo(t, "main repo")
	ctx := context.Background()
	run(t, dir, "git", "config", "remote.secret.annex-uuid", privUUID)
	run(t, dir, "git", "config", "remote.secret.annex-private", "true")
	gc, err := r.ReadConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := Open(r, config.New(gc))
	defer b.Close()
	if err := b.Change(ctx, "uuid.log", appendLine(privUUID+" hidden place timestamp=1700000000s")); err != nil {
		t.Fatal(err)
	}
	if err := b.Change(ctx, "trust.log", appendLine(privUUID+" 1 timestamp=1700000000s")); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(ctx, ""); err != nil {
		t.Fatal(err)
	}
	info := run(t, dir, "git", "annex", "info", "--fast")
	if !strings.Contains(info, privUUID+" -- hidden place") || !strings.Contains(info, "trusted repositories: 1") {
		t.Errorf("git-annex does not see the private repository:\n%s", info)
	}
	if strings.Contains(run(t, dir, "git", "log", "-p", Ref), privUUID) {
		t.Error("the branch names the private repository")
	}
}

// FuzzSplitPrivate: the split keeps every line exactly once, in order
// within each part, and puts a line in the private part iff it names the
// private UUID.
func FuzzSplitPrivate(f *testing.F) {
	f.Add("1 1 " + privUUID + "\n2 1 " + publicUUID + "\n")
	f.Add(privUUID + " x timestamp=1s")
	f.Add("")
	f.Fuzz(func(t *testing.T, content string) {
		public, priv := SplitPrivate([]byte(content), []uuid.UUID{privUUID})
		var wantPub, wantPriv strings.Builder
		for line := range strings.Lines(content) {
			line = strings.TrimSuffix(line, "\n") + "\n"
			if strings.Contains(line, privUUID) {
				wantPriv.WriteString(line)
			} else {
				wantPub.WriteString(line)
			}
		}
		if string(public) != wantPub.String() || string(priv) != wantPriv.String() {
			t.Errorf("SplitPrivate(%q) = %q, %q", content, public, priv)
		}
	})
}
