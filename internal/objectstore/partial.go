package objectstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
)

// Partial is a download target for k's content: the file TmpPath(k), which
// may already hold a prefix of the content left by an interrupted transfer
// (ours or git-annex's, which uses the same file). It satisfies
// remote.Sink: Offset is the number of bytes already there, Write appends
// and hashes as it goes, Restart truncates, Path names the file.
//
// A Partial is used by one goroutine at a time. Callers serialise
// downloads of one key across goroutines and processes with the transfer
// lock (package transfer); two Partials of the same key at once would
// interleave their writes.
type Partial struct {
	s    *Store
	k    key.Key
	path string
	f    *os.File
	v    *keyVerifier // has seen exactly the bytes 0..n of the file
	n    int64
	err  error // sticky write error: the hash no longer matches the file
}

// OpenPartial opens (creating or appending to) TmpPath(k) as a download
// target. The bytes already in the file are hashed now, so that Commit
// needs no second read; a file longer than k's size is truncated, since it
// cannot be a prefix of the content. Close the Partial (after Commit, or
// instead of it to keep the data for a later resume).
func (s *Store) OpenPartial(ctx context.Context, k key.Key) (*Partial, error) {
	if err := s.ensureDir(s.tmp); err != nil {
		return nil, fmt.Errorf("download %s: %w", k, err)
	}
	path := s.TmpPath(k)
	f, err := fsutil.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
	if errors.Is(err, os.ErrNotExist) {
		s.forgetDir(s.tmp)
		if err = s.ensureDir(s.tmp); err == nil {
			f, err = fsutil.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", k, err)
	}
	p := &Partial{s: s, k: k, path: path, f: f, v: newKeyVerifier(k)}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("download %s: %w", path, err)
	}
	switch {
	case fi.Size() == 0:
	case k.HasSize && fi.Size() > k.Size:
		err = p.Restart()
	default:
		p.n, err = fsutil.ReadAll(ctx, f, p.v)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("download %s: resume from %s: %w", k, path, err)
	}
	return p, nil
}

// Key returns the key the Partial collects content for.
func (p *Partial) Key() key.Key { return p.k }

// Offset returns the number of bytes of the content in the file, as far as
// the Partial knows: what was there when it was opened plus what was
// written through it since.
func (p *Partial) Offset() int64 { return p.n }

// Path returns the file's path (TmpPath of the key). A helper program may
// write the file directly; Commit notices and re-reads it.
func (p *Partial) Path() string { return p.path }

// Write appends b to the file and hashes it. After a failed write the
// Partial refuses further writes; Restart clears that state.
func (p *Partial) Write(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.f.Write(b)
	p.n += int64(n)
	_, _ = p.v.Write(b[:n]) // a keyVerifier never fails
	if err != nil {
		p.err = writeError(p.path, err)
		return n, p.err
	}
	return n, nil
}

// Restart discards the file's content so that Offset is 0, for a remote
// that cannot resume.
func (p *Partial) Restart() error {
	if err := p.f.Truncate(0); err != nil {
		return fmt.Errorf("restart %s: %w", p.path, err)
	}
	if _, err := p.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("restart %s: %w", p.path, err)
	}
	p.n, p.v, p.err = 0, newKeyVerifier(p.k), nil
	return nil
}

// Commit verifies the content and moves it into the object store, frozen,
// as IngestKnown does. The file is re-read only when its size differs from
// what went through Write (a helper wrote it behind the Partial's back).
// Keys that cannot be checked by hashing (WORM, URL) are accepted by size
// where the key records one. Content that does not match is removed and
// the error is a *BadContentError. The file is fsynced before the rename,
// so the object survives a power failure.
//
// Commit closes the file; Close afterwards is a no-op. If k is already
// present, the file is removed and nil returned.
func (p *Partial) Commit(ctx context.Context) error { return p.commit(ctx, true) }

// CommitNoSync is Commit without the fsync. Use it when committing many
// small objects, and call Store.SyncFS once before recording them in the
// location log: one syncfs(2) makes all of them durable for the cost of
// one flush instead of one per object.
func (p *Partial) CommitNoSync(ctx context.Context) error { return p.commit(ctx, false) }

func (p *Partial) commit(ctx context.Context, sync bool) error {
	if p.f == nil {
		return fmt.Errorf("commit %s: %w", p.path, os.ErrClosed)
	}
	if p.err != nil {
		p.Close()
		return p.err
	}
	err := p.rehashIfChanged(ctx)
	if err == nil && sync {
		if err = p.f.Sync(); err != nil {
			err = fmt.Errorf("sync %s: %w", p.path, err)
		}
	}
	if cerr := p.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("store %s: %w", p.k, err)
	}
	return p.s.finishTmp(p.k, p.path, p.v)
}

// rehashIfChanged re-reads the whole file when its size is not what the
// Partial wrote.
func (p *Partial) rehashIfChanged(ctx context.Context) error {
	fi, err := p.f.Stat()
	if err != nil {
		return fmt.Errorf("stat %s: %w", p.path, err)
	}
	if fi.Size() == p.n {
		return nil
	}
	if _, err := p.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("read %s: %w", p.path, err)
	}
	p.v = newKeyVerifier(p.k)
	p.n, err = fsutil.ReadAll(ctx, p.f, p.v)
	if err != nil {
		return fmt.Errorf("read %s: %w", p.path, err)
	}
	return nil
}

// Close closes the file without committing it: the data stays in
// TmpPath(k) for a later resume. Closing twice is harmless.
func (p *Partial) Close() error {
	if p.f == nil {
		return nil
	}
	err := p.f.Close()
	p.f = nil
	if err != nil {
		return fmt.Errorf("close %s: %w", p.path, err)
	}
	return nil
}

// SyncFS flushes the file system holding the object store to stable
// storage with one syncfs(2), making durable every object committed with
// CommitNoSync before it.
func (s *Store) SyncFS() error { return fsutil.SyncFS(s.annexDir) }
