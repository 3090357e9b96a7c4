package annexbranch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/troveproject/trove/internal/logs"
)

const fakeUUID = "11111111-2222-4333-8444-555555555555"

func appendLine(line string) func([]byte) []byte {
	return func(old []byte) []byte { return logs.UnionMerge(old, []byte(line+"\n")) }
}

// TestReadGitAnnexWrites: git-annex writes the branch and the journal,
// Trove reads both.
func TestReadGitAnnexWrites(t *testing.T) {
	dir, r := annexRepo(t, "first")
	ctx := context.Background()
	os.WriteFile(filepath.Join(dir, "f.dat"), []byte("hello\n"), 0o644)
	run(t, dir, "git", "annex", "add", "-q", "f.dat")
	run(t, dir, "git", "commit", "-q", "-m", "add")
	k := run(t, dir, "git", "annex", "lookupkey", "f.dat")
	here := run(t, dir, "git", "config", "annex.uuid")
	run(t, dir, "git", "-c", "annex.alwayscommit=false", "annex", "describe", "here", "second description")
	if ents, _ := os.ReadDir(filepath.Join(r.GitDir, "annex", "journal")); len(ents) == 0 {
		t.Fatal("git-annex left no journal; test setup is wrong")
	}

	b := openBranch(t, r)
	uuidLog, err := b.Get(ctx, "uuid.log")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(uuidLog), here+" second description timestamp=") {
		t.Errorf("uuid.log from the journal = %q", uuidLog)
	}
	loc := run(t, dir, "git", "annex", "examinekey", "--format=${hashdirlower}${key}.log", k)
	got, err := b.Get(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	if want := run(t, dir, "git", "cat-file", "blob", "git-annex:"+loc); strings.TrimSpace(string(got)) != want || !strings.Contains(want, " 1 "+here) {
		t.Errorf("location log = %q, git says %q", got, want)
	}
	if missing, err := b.Get(ctx, "no/such.log"); err != nil || missing != nil {
		t.Errorf("absent file = %q, %v", missing, err)
	}
}

// TestGitAnnexReadsTroveWrites: Trove journals and commits, git-annex sees
// the data in whereis and info.
func TestGitAnnexReadsTroveWrites(t *testing.T) {
	dir, r := annexRepo(t, "first")
	ctx := context.Background()
	os.WriteFile(filepath.Join(dir, "f.dat"), []byte("hello\n"), 0o644)
	run(t, dir, "git", "annex", "add", "-q", "f.dat")
	run(t, dir, "git", "commit", "-q", "-m", "add")
	k := run(t, dir, "git", "annex", "lookupkey", "f.dat")
	loc := run(t, dir, "git", "annex", "examinekey", "--format=${hashdirlower}${key}.log", k)
	before := run(t, dir, "git", "rev-list", "--count", "git-annex")

	b := openBranch(t, r)
	if err := b.Change(ctx, "uuid.log", appendLine(fakeUUID+" trove remote timestamp=1700000000s")); err != nil {
		t.Fatal(err)
	}
	if err := b.Change(ctx, loc, appendLine("1700000000s 1 "+fakeUUID)); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if n := run(t, dir, "git", "rev-list", "--count", "git-annex"); n != fmt.Sprint(atoi(t, before)+1) {
		t.Errorf("commits %s -> %s, want one more", before, n)
	}
	if msg := run(t, dir, "git", "log", "-1", "--format=%s", "git-annex"); msg != "update" {
		t.Errorf("commit message %q", msg)
	}
	if ents, _ := os.ReadDir(filepath.Join(r.GitDir, "annex", "journal")); len(ents) != 0 {
		t.Errorf("journal not emptied: %v", ents)
	}
	head := run(t, dir, "git", "rev-parse", "git-annex")
	if lck, _ := os.ReadFile(filepath.Join(r.GitDir, "annex", "index.lck")); string(lck) != head+"\n" {
		t.Errorf("index.lck = %q, want %q", lck, head)
	}
	where := run(t, dir, "git", "annex", "whereis", "f.dat")
	if !strings.Contains(where, "(2 copies)") || !strings.Contains(where, fakeUUID+" -- trove remote") {
		t.Errorf("whereis:\n%s", where)
	}
	// git-annex keeps working on top of our commit.
	run(t, dir, "git", "annex", "describe", "here", "after trove")
	if uuids := run(t, dir, "git", "cat-file", "blob", "git-annex:uuid.log"); !strings.Contains(uuids, "trove remote") || !strings.Contains(uuids, "after trove") {
		t.Errorf("uuid.log after git-annex's commit:\n%s", uuids)
	}
	run(t, dir, "git", "annex", "fsck", "--fast", "-q")
}

func atoi(t *testing.T, s string) int {
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestManyChangesOneCommit: thousands of Changes cost one commit.
func TestManyChangesOneCommit(t *testing.T) {
	dir, r := annexRepo(t, "first")
	ctx := context.Background()
	before := run(t, dir, "git", "rev-list", "--count", "git-annex")
	b := openBranch(t, r)
	const n = 2000
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < n; i += 4 {
				p := fmt.Sprintf("a%02d/b%02d/KEY_%d.log", i%97, i%89, i)
				if err := b.Change(ctx, p, appendLine(fmt.Sprintf("1700000000s 1 %s", fakeUUID))); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if err := b.Commit(ctx, "many"); err != nil {
		t.Fatal(err)
	}
	if got := run(t, dir, "git", "rev-list", "--count", "git-annex"); got != fmt.Sprint(atoi(t, before)+1) {
		t.Errorf("commits %s -> %s, want one more", before, got)
	}
	files := strings.Count(run(t, dir, "git", "ls-tree", "-r", "--name-only", "git-annex"), "KEY_")
	if files != n {
		t.Errorf("%d files committed, want %d", files, n)
	}
	if got := run(t, dir, "git", "cat-file", "blob", "git-annex:a05/b05/KEY_5.log"); got != "1700000000s 1 "+fakeUUID {
		t.Errorf("KEY_5.log = %q", got)
	}
	if err := b.Commit(ctx, "nothing"); err != nil {
		t.Fatal(err)
	}
	if got := run(t, dir, "git", "log", "-1", "--format=%s", "git-annex"); got != "many" {
		t.Errorf("empty journal made a commit %q", got)
	}
}

// TestConcurrentChangesOfOneFile: no update is lost.
func TestConcurrentChangesOfOneFile(t *testing.T) {
	_, r := annexRepo(t, "first")
	ctx := context.Background()
	b := openBranch(t, r)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			if err := b.Change(ctx, "x.log", appendLine(fmt.Sprintf("line %02d", i))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err := b.Get(ctx, "x.log")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(got), "\n"); n != 50 {
		t.Errorf("%d lines survived, want 50", n)
	}
}

// TestCommitFailureKeepsJournal: when the branch cannot be updated the
// journal stays and reads still see the change.
func TestCommitFailureKeepsJournal(t *testing.T) {
	_, r := annexRepo(t, "first")
	ctx := context.Background()
	b := openBranch(t, r)
	if err := b.Change(ctx, "x.log", appendLine("kept")); err != nil {
		t.Fatal(err)
	}
	lock := filepath.Join(r.CommonDir, "refs", "heads", "git-annex.lock")
	if err := os.WriteFile(lock, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(ctx, ""); err == nil {
		t.Fatal("Commit succeeded with the ref locked")
	}
	if got, err := b.Get(ctx, "x.log"); err != nil || string(got) != "kept\n" {
		t.Errorf("after failed commit: %q, %v", got, err)
	}
	os.Remove(lock)
	if err := b.Commit(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if got, err := b.getCommitted(ctx, Ref+":x.log"); err != nil || string(got) != "kept\n" {
		t.Errorf("committed x.log = %q, %v", got, err)
	}
}

// A .git/annex/index.lock left by a killed git must not stop later commits:
// every writer of that index holds the journal lock, so it is stale.
func TestCommitRemovesStaleIndexLock(t *testing.T) {
	_, r := annexRepo(t, "first")
	ctx := context.Background()
	b := openBranch(t, r)
	if err := b.Change(ctx, "y.log", appendLine("after a crash")); err != nil {
		t.Fatal(err)
	}
	lock := filepath.Join(r.CommonDir, "annex", "index.lock")
	if err := os.WriteFile(lock, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(ctx, ""); err != nil {
		t.Fatalf("Commit with a stale %s: %v", lock, err)
	}
	if got, err := b.getCommitted(ctx, Ref+":y.log"); err != nil || string(got) != "after a crash\n" {
		t.Errorf("committed y.log = %q, %v", got, err)
	}
	if _, err := os.Stat(lock); !os.IsNotExist(err) {
		t.Errorf("stale lock still there: %v", err)
	}
}
