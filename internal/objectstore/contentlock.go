package objectstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/lockfile"
)

// ContentLock is a git-annex v10 content lock: an fcntl lock on
// <object>.lck inside the key directory, which git-annex honours too. A
// shared lock means "this content is in use as a verified copy"; an exclusive
// one means "this content is being removed". Release it exactly once.
type ContentLock struct {
	s         *Store
	k         key.Key
	object    string
	f         *lockfile.File
	exclusive bool
	// thawed: the key directory was left writable for Remove, which
	// follows a removal lock more often than not; Release freezes it
	// again when Remove did not run.
	thawed  bool
	removed bool
}

// Key returns the locked key.
func (l *ContentLock) Key() key.Key { return l.k }

// LockShared takes a shared content lock on k, guaranteeing that the content
// is not removed (by us or by git-annex) until Release. It fails without
// waiting with an error wrapping ErrContentLocked when the content is being
// removed, and with ErrNotPresent when there is no content.
func (s *Store) LockShared(ctx context.Context, k key.Key) (*ContentLock, error) {
	return s.lockContent(ctx, k, false)
}

// LockForRemoval takes the exclusive content lock on k that must be held
// while its content is removed. It fails without waiting with an error
// wrapping ErrContentLocked when anyone holds a shared lock, and with
// ErrNotPresent when there is no content.
func (s *Store) LockForRemoval(ctx context.Context, k key.Key) (*ContentLock, error) {
	return s.lockContent(ctx, k, true)
}

func (s *Store) lockContent(ctx context.Context, k key.Key, exclusive bool) (*ContentLock, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	object, ok, err := s.Find(k)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("lock %s: %w", k, ErrNotPresent)
	}
	f, thawed, err := s.openLockFile(object, exclusive)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", k, err)
	}
	l := &ContentLock{s: s, k: k, object: object, f: f, exclusive: exclusive, thawed: thawed}
	if exclusive {
		err = f.TryExclusive()
	} else {
		err = f.TryShared()
	}
	if err != nil {
		l.close()
		if errors.Is(err, lockfile.ErrLocked) {
			return nil, fmt.Errorf("lock %s: %w", k, ErrContentLocked)
		}
		return nil, fmt.Errorf("lock %s: %w", k, err)
	}
	// The content may have been removed while we opened the lock file.
	if _, err := os.Lstat(object); err != nil {
		l.close()
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("lock %s: %w", k, ErrNotPresent)
		}
		return nil, fmt.Errorf("lock %s: %w", k, err)
	}
	return l, nil
}

// openLockFile opens (creating) object's .lck in its key directory,
// which it leaves thawed when keepThawed and thawing was needed.
func (s *Store) openLockFile(object string, keepThawed bool) (f *lockfile.File, thawed bool, err error) {
	thawed, err = s.inKeyDir(filepath.Dir(object), keepThawed, func() (err error) {
		f, err = lockfile.Open(object+".lck", s.annexFileMode())
		return err
	})
	return f, thawed, err
}

// Release drops the lock. Like git-annex, after a shared lock it removes the
// .lck file if no one else holds a lock on it. Release is not idempotent:
// a second call returns an error wrapping fs.ErrClosed.
func (l *ContentLock) Release() error {
	if !l.exclusive && l.f.TryExclusive() == nil {
		l.s.removeLockFile(l.object)
	}
	return l.close()
}

// close closes the lock file, freezing the key directory again when the
// lock left it thawed and the content is still there.
func (l *ContentLock) close() error {
	if l.thawed && !l.removed {
		_ = fsutil.FreezeDir(filepath.Dir(l.object), l.s.opts.Shared) // best effort: the lock file is what matters here
	}
	return l.f.Close()
}

// removeLockFile removes object's .lck (best effort: a stale lock file
// harms nobody).
func (s *Store) removeLockFile(object string) {
	_, _ = s.inKeyDir(filepath.Dir(object), false, func() error { return unlink(object + ".lck") })
}

// Remove deletes the locked content, its .lck file, its key directory and
// the hash directories above it that are left empty, as git-annex's
// removeAnnex does. It requires a lock from LockForRemoval; Release it
// afterwards. An ingest racing with the removal of its hash directory
// (in this process or another) creates it again.
func (l *ContentLock) Remove() error {
	if !l.exclusive {
		return fmt.Errorf("remove %s: content lock is shared, not held for removal", l.k)
	}
	unlock := l.s.lockKey(l.k)
	defer unlock()
	err := l.s.cleanObject(l.object, l.thawed, func() error {
		if err := unlink(l.object); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", l.k, err)
		}
		return nil
	})
	l.removed = err == nil
	return err
}

// cleanObject runs f (which disposes of object) in its key directory,
// thawed unless thawed says it is already, then removes the .lck, the key
// directory and the hash directories left empty (git-annex's
// cleanObjectLoc). When f fails, the key directory is frozen again.
func (s *Store) cleanObject(object string, thawed bool, f func() error) error {
	keyDir := filepath.Dir(object)
	if thawed {
		if err := f(); err != nil {
			_ = fsutil.FreezeDir(keyDir, s.opts.Shared) // best effort: the content is still there and locked
			return err
		}
	} else if _, err := s.inKeyDir(keyDir, true, f); err != nil {
		return err
	}
	if err := unlink(object + ".lck"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s.lck: %w", object, err)
	}
	if err := rmdir(keyDir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", keyDir, err)
	}
	s.removeEmptyHashDirs(filepath.Dir(keyDir))
	return nil
}

// removeEmptyHashDirs removes dir and its parents below the objects
// directory for as long as they are empty. A directory that is not empty
// (or cannot be removed) ends it: rmdir(2) never removes a directory in
// which another process has just created a key directory. Removed
// directories are forgotten by ensureDir's cache, and a concurrent ingest
// that finds its cached hash directory gone creates it again (commit).
func (s *Store) removeEmptyHashDirs(dir string) {
	for dir != s.objects && strings.HasPrefix(dir, s.objects+string(filepath.Separator)) {
		s.forgetDir(dir)
		if rmdir(dir) != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}

// Drop removes k's content under a removal lock. Dropping absent content is
// not an error; content in use (shared-locked by us or git-annex) fails with
// an error wrapping ErrContentLocked. Drop does not check numcopies: that is
// the caller's business, done while holding LockForRemoval.
func (s *Store) Drop(ctx context.Context, k key.Key) error {
	l, err := s.LockForRemoval(ctx, k)
	if errors.Is(err, ErrNotPresent) {
		return nil
	}
	if err != nil {
		return err
	}
	rerr := l.Remove()
	if err := l.Release(); rerr == nil {
		rerr = err
	}
	return rerr
}

// MoveToBad moves k's object to .git/annex/bad/<keyfile> (as `git annex
// fsck` does with corrupt content), removes its key directory, and returns
// the new path. Its mode is kept. It returns an error wrapping ErrNotPresent
// when there is no object.
func (s *Store) MoveToBad(ctx context.Context, k key.Key) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	unlock := s.lockKey(k)
	defer unlock()
	object, ok, err := s.Find(k)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("move %s to bad: %w", k, ErrNotPresent)
	}
	if err := s.ensureDir(s.bad); err != nil {
		return "", err
	}
	dest := filepath.Join(s.bad, k.File())
	err = s.cleanObject(object, false, func() error {
		if err := os.Rename(object, dest); err != nil {
			return fmt.Errorf("move %s to bad: %w", k, err)
		}
		return nil
	})
	return dest, err
}
