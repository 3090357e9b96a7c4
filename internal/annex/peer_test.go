package annex

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/objectstore"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/testutil"
)

// copyPair makes the repositories of a copy: src (origin, with a.txt)
// and its clone dst, added to src as the remote "dst". UUIDs are fixed, so
// two pairs made by the same test have byte-identical branches.
func copyPair(t *testing.T) (src, dst string) {
	t.Helper()
	src = annexOrigin(t)
	dst = annexClone(t, src)
	testutil.RunGit(t, src, "remote", "add", "dst", dst)
	return src, dst
}

// branchFile returns a file of repo's git-annex branch ("" when absent).
func branchFile(t *testing.T, repo, path string) string {
	t.Helper()
	out, err := testutil.Command(t, repo, "git", "show", "git-annex:"+path).Output()
	if err != nil {
		return ""
	}
	return string(out)
}

// storeWithTrove copies a.txt's content from src to its remote dst with
// Trove's gitlocal remote, then closes src (committing dst's branch).
func storeWithTrove(t *testing.T, src string) {
	t.Helper()
	ctx := context.Background()
	r := openRepo(t, src)
	rm, err := r.Remote(ctx, "dst")
	if err != nil {
		t.Fatal(err)
	}
	k := mustKey(t, helloKey)
	obj, ok, err := r.objects.Find(k)
	if err != nil || !ok {
		t.Fatalf("no local object for %s: %v", k, err)
	}
	if err := rm.Store(ctx, k, remote.Source{Path: obj, Size: k.Size, File: "a.txt"}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestStoreMatchesGitAnnexCopy: after storing content in a local remote, the
// remote's location log is byte-identical to what `git annex copy --to`
// writes there, the object sits where git-annex puts it, and the real
// `git annex fsck` accepts the remote.
func TestStoreMatchesGitAnnexCopy(t *testing.T) {
	logPath := logs.LocationLogPath(mustKey(t, helloKey), false)

	realSrc, realDst := copyPair(t)
	testutil.RunAnnex(t, realSrc, "copy", "-q", "--to", "dst", "a.txt")
	want := branchFile(t, realDst, logPath)
	if want == "" {
		t.Fatalf("git annex copy --to wrote no location log in the remote")
	}

	src, dst := copyPair(t)
	storeWithTrove(t, src)
	if diff := cmp.Diff(want, branchFile(t, dst, logPath)); diff != "" {
		t.Errorf("remote's location log (-git-annex +trove):\n%s", diff)
	}
	obj := filepath.Join(dst, ".git/annex/objects", mustKey(t, helloKey).HashDirMixed(), helloKey, helloKey)
	fi, err := os.Stat(obj)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o444 {
		t.Errorf("object mode %v, want -r--r--r--", fi.Mode())
	}
	testutil.RunAnnex(t, dst, "fsck", "-q")
}

// TestRemoveMatchesGitAnnexDropFrom: removing from a local remote removes
// the object and records it missing there as `git annex drop --from` does.
func TestRemoveMatchesGitAnnexDropFrom(t *testing.T) {
	ctx := context.Background()
	k := mustKey(t, helloKey)
	logPath := logs.LocationLogPath(k, false)

	realSrc, realDst := copyPair(t)
	testutil.RunAnnex(t, realSrc, "copy", "-q", "--to", "dst", "a.txt")
	testutil.RunAnnex(t, realSrc, "drop", "-q", "--force", "--from", "dst", "a.txt")
	want := branchFile(t, realDst, logPath)

	src, dst := copyPair(t)
	testutil.RunAnnex(t, src, "copy", "-q", "--to", "dst", "a.txt")
	r := openRepo(t, src)
	rm, err := r.Remote(ctx, "dst")
	if err != nil {
		t.Fatal(err)
	}
	if err := rm.Remove(ctx, k); err != nil {
		t.Fatal(err)
	}
	if ok, err := rm.CheckPresent(ctx, k); err != nil || ok {
		t.Errorf("CheckPresent after Remove = %v, %v", ok, err)
	}
	if err := rm.Remove(ctx, k); err != nil {
		t.Errorf("removing an absent key: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, branchFile(t, dst, logPath)); diff != "" {
		t.Errorf("remote's location log (-git-annex +trove):\n%s", diff)
	}
	testutil.RunAnnex(t, dst, "fsck", "-q")
}

// fileSink is a remote.Sink over a file.
type fileSink struct{ f *os.File }

func (s *fileSink) Write(p []byte) (int, error) { return s.f.Write(p) }
func (s *fileSink) Path() string                { return s.f.Name() }
func (s *fileSink) Offset() int64 {
	fi, err := s.f.Stat()
	if err != nil {
		return 0
	}
	return fi.Size()
}
func (s *fileSink) Restart() error {
	if err := s.f.Truncate(0); err != nil {
		return err
	}
	_, err := s.f.Seek(0, 0)
	return err
}

func newFileSink(t *testing.T, prefix string) *fileSink {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(t.TempDir(), "sink"), os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if _, err := f.WriteString(prefix); err != nil {
		t.Fatal(err)
	}
	return &fileSink{f}
}

// countMeter is a progress.Meter that remembers what it was told.
type countMeter struct{ total, done int64 }

func (m *countMeter) SetTotal(n int64) { m.total = n }
func (m *countMeter) Add(n int64)      { m.done += n }

// cloneWithOrigin makes an origin with a.txt and a clone of it, opens the
// clone, and returns the origin's path and the clone's remote "origin".
func cloneWithOrigin(t *testing.T) (origin string, rm remote.Remote) {
	t.Helper()
	origin = annexOrigin(t)
	r := openRepo(t, annexClone(t, origin))
	rm, err := r.Remote(context.Background(), "origin")
	if err != nil {
		t.Fatal(err)
	}
	return origin, rm
}

func TestRetrieveResumesAndReportsAbsence(t *testing.T) {
	ctx := context.Background()
	_, rm := cloneWithOrigin(t)
	k := mustKey(t, helloKey)
	for _, prefix := range []string{"", "hello", "way too long a partial file"} {
		sink := newFileSink(t, prefix)
		var m countMeter
		if err := rm.Retrieve(ctx, k, sink, &m); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(sink.Path())
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != "hello world\n" || m.total != 12 || m.done != 12 {
			t.Errorf("prefix %q: retrieved %q, meter %d/%d", prefix, got, m.done, m.total)
		}
	}
	absent := mustKey(t, "SHA256E-s3--0000000000000000000000000000000000000000000000000000000000000000.txt")
	if err := rm.Retrieve(ctx, absent, newFileSink(t, ""), progress.Discard); !errors.Is(err, remote.ErrNotPresent) {
		t.Errorf("Retrieve of an absent key: %v", err)
	}
	if _, err := rm.(remote.ContentLocker).LockContent(ctx, absent); !errors.Is(err, remote.ErrNotPresent) {
		t.Errorf("LockContent of an absent key: %v", err)
	}
}

func TestStoreRejectsBadContent(t *testing.T) {
	ctx := context.Background()
	src, dst := copyPair(t)
	r := openRepo(t, src)
	rm, err := r.Remote(ctx, "dst")
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad")
	if err := os.WriteFile(bad, []byte("hello WORLD\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	k := mustKey(t, helloKey)
	err = rm.Store(ctx, k, remote.Source{Path: bad, Size: 12}, progress.Discard)
	if !errors.Is(err, objectstore.ErrBadContent) {
		t.Fatalf("Store of bad content: %v", err)
	}
	if ok, _ := rm.CheckPresent(ctx, k); ok {
		t.Error("bad content became visible in the remote")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if log := branchFile(t, dst, logs.LocationLogPath(k, false)); strings.Contains(log, " 1 "+cloneUUID.String()) {
		t.Errorf("bad content logged present:\n%s", log)
	}
}

func TestReadOnlyRemote(t *testing.T) {
	ctx := context.Background()
	src, _ := copyPair(t)
	testutil.RunGit(t, src, "config", "remote.dst.annex-readonly", "true")
	r := openRepo(t, src)
	rm, err := r.Remote(ctx, "dst")
	if err != nil {
		t.Fatal(err)
	}
	k := mustKey(t, helloKey)
	obj, _, _ := r.objects.Find(k)
	if err := rm.Store(ctx, k, remote.Source{Path: obj, Size: 12}, progress.Discard); !errors.Is(err, remote.ErrReadOnly) {
		t.Errorf("Store to a read-only remote: %v", err)
	}
	if err := rm.Remove(ctx, k); !errors.Is(err, remote.ErrReadOnly) {
		t.Errorf("Remove from a read-only remote: %v", err)
	}
}

// TestLockContentBlocksGitAnnexDrop holds the remote's content lock through
// the gitlocal remote while the real git-annex tries to drop that content
// in the remote repository, and then lets it.
func TestLockContentBlocksGitAnnexDrop(t *testing.T) {
	ctx := context.Background()
	origin, rm := cloneWithOrigin(t)
	unlock, err := rm.(remote.ContentLocker).LockContent(ctx, mustKey(t, helloKey))
	if err != nil {
		t.Fatal(err)
	}
	out, err := testutil.Command(t, origin, testutil.RequireGitAnnex(t), "drop", "--force", "a.txt").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "locked") {
		t.Fatalf("git annex drop while the content was locked: %v\n%s", err, out)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	testutil.RunAnnex(t, origin, "drop", "--force", "a.txt")
	if ok, err := rm.CheckPresent(ctx, mustKey(t, helloKey)); err != nil || ok {
		t.Errorf("after git annex drop: CheckPresent = %v, %v", ok, err)
	}
}

// TestRemovalLockBlocksLockContent: content held for removal by another
// process (an exclusive fcntl lock on the .lck file, as git-annex's
// lockContentForRemoval takes) cannot be locked as a copy, and content
// locked as a copy cannot be removed.
func TestRemovalLockBlocksLockContent(t *testing.T) {
	ctx := context.Background()
	origin, rm := cloneWithOrigin(t)
	k := mustKey(t, helloKey)
	other := objectstore.Open(filepath.Join(origin, ".git/annex"), objectstore.Options{})
	defer other.Close()
	removal, err := other.LockForRemoval(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rm.(remote.ContentLocker).LockContent(ctx, k); !errors.Is(err, remote.ErrLocked) {
		t.Errorf("LockContent while held for removal: %v", err)
	}
	if err := removal.Release(); err != nil {
		t.Fatal(err)
	}
	shared, err := other.LockShared(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if err := rm.Remove(ctx, k); !errors.Is(err, remote.ErrLocked) {
		t.Errorf("Remove while locked as a copy: %v", err)
	}
	if err := shared.Release(); err != nil {
		t.Fatal(err)
	}
	if ok, _ := rm.CheckPresent(ctx, k); !ok {
		t.Error("content removed while locked")
	}
}

// TestStoreResumesPartial: data left in the remote's tmp file by an
// interrupted copy is kept and only the rest is sent; a partial file that
// does not verify is replaced by a full copy.
func TestStoreResumesPartial(t *testing.T) {
	ctx := context.Background()
	k := mustKey(t, helloKey)
	for _, tc := range []struct{ partial, source string }{
		// Only bytes 5.. of the source are read: its first five differ.
		{"hello", "JUNK! world\n"},
		{"HELLO", "hello world\n"},
	} {
		src, dst := copyPair(t)
		tmp := filepath.Join(dst, ".git/annex/tmp")
		if err := os.MkdirAll(tmp, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, helloKey), []byte(tc.partial), 0o644); err != nil {
			t.Fatal(err)
		}
		source := filepath.Join(t.TempDir(), "source")
		if err := os.WriteFile(source, []byte(tc.source), 0o644); err != nil {
			t.Fatal(err)
		}
		r := openRepo(t, src)
		rm, err := r.Remote(ctx, "dst")
		if err != nil {
			t.Fatal(err)
		}
		if err := rm.Store(ctx, k, remote.Source{Path: source, Size: 12}, progress.Discard); err != nil {
			t.Fatalf("partial %q: %v", tc.partial, err)
		}
		if ok, err := rm.CheckPresent(ctx, k); err != nil || !ok {
			t.Errorf("partial %q: CheckPresent = %v, %v", tc.partial, ok, err)
		}
		if _, err := os.Stat(filepath.Join(tmp, helloKey)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("partial %q: tmp file left behind: %v", tc.partial, err)
		}
	}
}

// TestPeerJournalCommittedWhenOpened: what opening a repository as a peer
// journals (here: its auto-initialisation) is in its git-annex branch at
// once, not left in the journal to overwrite, at Close, what a push into
// it brings meanwhile.
func TestPeerJournalCommittedWhenOpened(t *testing.T) {
	ctx := context.Background()
	origin := annexOrigin(t)
	clone := filepath.Join(t.TempDir(), "clone")
	testutil.RunGit(t, "", "clone", "-q", origin, clone) // a git-annex branch, no annex yet
	testutil.RunGit(t, origin, "remote", "add", "clone", clone)
	r := openRepo(t, origin)
	rm, err := r.Remote(ctx, "clone")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := rm.CheckPresent(ctx, mustKey(t, helloKey)); err != nil || ok {
		t.Fatalf("CheckPresent in the new clone = %v, %v; want false", ok, err)
	}
	journal, err := os.ReadDir(filepath.Join(clone, ".git/annex/journal"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	if len(journal) != 0 {
		t.Errorf("peer journal after opening: %d entries, want none", len(journal))
	}
	if uuids := branchFile(t, clone, "uuid.log"); !strings.Contains(uuids, string(rm.UUID())) {
		t.Errorf("peer's uuid.log in its branch lacks its UUID %s:\n%s", rm.UUID(), uuids)
	}
}
