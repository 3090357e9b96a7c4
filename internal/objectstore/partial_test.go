package objectstore

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/troveproject/trove/internal/backend"
)

// openPartial opens a Partial for k and closes it at cleanup.
func openPartial(t *testing.T, s *Store, content string) *Partial {
	t.Helper()
	p, err := s.OpenPartial(context.Background(), sha256Key(content, ".txt"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func write(t *testing.T, p *Partial, s string) {
	t.Helper()
	if n, err := p.Write([]byte(s)); err != nil || n != len(s) {
		t.Fatalf("Write(%q) = %d, %v", s, n, err)
	}
}

// assertObject checks that k's object holds content, frozen, and that the
// temporary file is gone.
func assertObject(t *testing.T, s *Store, content string) {
	t.Helper()
	k := sha256Key(content, ".txt")
	path, ok, err := s.Find(k)
	if err != nil || !ok {
		t.Fatalf("object for %s missing: %v", k, err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != content {
		t.Fatalf("object holds %q, %v", got, err)
	}
	if m := perm(t, path); m&0o222 != 0 {
		t.Errorf("object mode %v is writable", m)
	}
	if _, err := os.Lstat(s.TmpPath(k)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("temporary file left behind: %v", err)
	}
}

func TestPartialFresh(t *testing.T) {
	s, _ := newStore(t, Options{})
	const content = "hello world\n"
	p := openPartial(t, s, content)
	if p.Offset() != 0 || p.Path() != s.TmpPath(p.Key()) {
		t.Fatalf("fresh partial: offset %d path %s", p.Offset(), p.Path())
	}
	write(t, p, "hello ")
	write(t, p, "world\n")
	if p.Offset() != int64(len(content)) {
		t.Errorf("Offset after writes = %d", p.Offset())
	}
	if err := p.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertObject(t, s, content)
	if err := p.Close(); err != nil {
		t.Errorf("Close after Commit: %v", err)
	}
}

func TestPartialResume(t *testing.T) {
	s, _ := newStore(t, Options{})
	const content = "0123456789abcdef"
	p := openPartial(t, s, content)
	write(t, p, content[:7])
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(p.Path()); err != nil || string(got) != content[:7] {
		t.Fatalf("Close did not keep the partial data: %q, %v", got, err)
	}
	p2 := openPartial(t, s, content)
	if p2.Offset() != 7 {
		t.Fatalf("resumed Offset = %d, want 7", p2.Offset())
	}
	write(t, p2, content[7:])
	if err := p2.CommitNoSync(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertObject(t, s, content)
	if err := s.SyncFS(); err != nil {
		t.Errorf("SyncFS: %v", err)
	}
}

func TestPartialWrittenBehindItsBack(t *testing.T) {
	s, _ := newStore(t, Options{})
	const content = "written by a helper program\n"
	p := openPartial(t, s, content)
	if err := os.WriteFile(p.Path(), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertObject(t, s, content)
}

func TestPartialBadContent(t *testing.T) {
	s, _ := newStore(t, Options{})
	const content = "the right content"
	for _, bad := range []string{"the wrong content", "short"} {
		p := openPartial(t, s, content)
		write(t, p, bad)
		err := p.Commit(context.Background())
		var bce *BadContentError
		if !errors.As(err, &bce) || !errors.Is(err, ErrBadContent) {
			t.Fatalf("Commit of %q: %v, want a *BadContentError", bad, err)
		}
		if bce.WrongSize != (len(bad) != len(content)) {
			t.Errorf("WrongSize = %v for %q", bce.WrongSize, bad)
		}
		if _, err := os.Lstat(p.Path()); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("bad content left in %s", p.Path())
		}
		assertNoObjects(t, s)
	}
}

func TestPartialRestart(t *testing.T) {
	s, _ := newStore(t, Options{})
	const content = "the right content"
	p := openPartial(t, s, content)
	write(t, p, "garbage")
	if err := p.Restart(); err != nil {
		t.Fatal(err)
	}
	if p.Offset() != 0 {
		t.Fatalf("Offset after Restart = %d", p.Offset())
	}
	write(t, p, content)
	if err := p.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertObject(t, s, content)
}

// A file longer than the key's size cannot be a prefix: it is discarded.
func TestPartialTooLongIsRestarted(t *testing.T) {
	s, _ := newStore(t, Options{})
	const content = "abc"
	k := sha256Key(content, ".txt")
	writeFile(t, s.TmpPath(k), "much longer than abc", 0o644)
	p := openPartial(t, s, content)
	if p.Offset() != 0 {
		t.Fatalf("Offset = %d, want 0", p.Offset())
	}
	write(t, p, content)
	if err := p.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertObject(t, s, content)
}

// A resumed prefix that is wrong (not what the key hashes to) is caught by
// Commit even though it was hashed on open rather than written.
func TestPartialBadPrefix(t *testing.T) {
	s, _ := newStore(t, Options{})
	const content = "0123456789"
	k := sha256Key(content, ".txt")
	writeFile(t, s.TmpPath(k), "XXXX", 0o644)
	p := openPartial(t, s, content)
	write(t, p, content[4:])
	if err := p.Commit(context.Background()); !errors.Is(err, ErrBadContent) {
		t.Fatalf("Commit = %v, want bad content", err)
	}
	assertNoObjects(t, s)
}

func TestPartialWORMBySize(t *testing.T) {
	s, _ := newStore(t, Options{})
	k := backend.WORMKey("a.txt", 5, 1700000000)
	p, err := s.OpenPartial(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	write(t, p, "12345")
	if err := p.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Has(k); !ok {
		t.Fatal("WORM object missing")
	}
	p, err = s.OpenPartial(context.Background(), backend.WORMKey("b.txt", 5, 1700000000))
	if err != nil {
		t.Fatal(err)
	}
	write(t, p, "1234")
	if err := p.Commit(context.Background()); !errors.Is(err, ErrBadContent) {
		t.Fatalf("WORM key with the wrong size: %v", err)
	}
}

func TestPartialAlreadyPresent(t *testing.T) {
	s, _ := newStore(t, Options{})
	const content = "present"
	k := sha256Key(content, ".txt")
	if err := s.IngestKnown(context.Background(), k, strings.NewReader(content)); err != nil {
		t.Fatal(err)
	}
	p := openPartial(t, s, content)
	write(t, p, content)
	if err := p.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertObject(t, s, content)
}

func TestPartialCommitTwice(t *testing.T) {
	s, _ := newStore(t, Options{})
	p := openPartial(t, s, "x")
	write(t, p, "x")
	if err := p.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(context.Background()); !errors.Is(err, os.ErrClosed) {
		t.Errorf("second Commit = %v, want ErrClosed", err)
	}
}

// TestWriteErrorNamesPathOnce checks that a failed write names the file
// once and, for a full disk, says what to do.
func TestWriteErrorNamesPathOnce(t *testing.T) {
	p := "/repo/.git/annex/tmp/KEY"
	err := writeError(p, &fs.PathError{Op: "write", Path: p, Err: syscall.ENOSPC})
	msg := err.Error()
	if strings.Count(msg, p) != 1 {
		t.Errorf("path named %d times: %s", strings.Count(msg, p), msg)
	}
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(msg, "free some space") {
		t.Errorf("full disk: %s", msg)
	}
	if msg := writeError(p, syscall.EIO).Error(); strings.Contains(msg, "free some space") || !strings.HasPrefix(msg, "write "+p+": ") {
		t.Errorf("I/O error: %s", msg)
	}
}
