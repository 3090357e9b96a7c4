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
	f, err := s.openLockFile(object)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", k, err)
	}
	if exclusive {
		err = f.TryExclusive()
	} else {
		err = f.TryShared()
	}
	if err != nil {
		f.Close()
		if errors.Is(err, lockfile.ErrLocked) {
			return nil, fmt.Errorf("lock %s: %w", k, ErrContentLocked)
		}
		return nil, fmt.Errorf("lock %s: %w", k, err)
	}
	// The content may have been removed while we opened the lock file.
	if _, err := os.Lstat(object); err != nil {
		f.Close()
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("lock %s: %w", k, ErrNotPresent)
		}
		return nil, fmt.Errorf("lock %s: %w", k, err)
	}
	return &ContentLock{s: s, k: k, object: object, f: f, exclusive: exclusive}, nil
}

// openLockFile opens (creating) object's .lck, thawing the key directory
// for the creation when needed.
func (s *Store) openLockFile(object string) (*lockfile.File, error) {
	lck := object + ".lck"
	if _, err := os.Lstat(lck); err == nil {
		return lockfile.Open(lck, s.annexFileMode())
	}
	keyDir := filepath.Dir(object)
	if err := fsutil.ThawDir(keyDir); err != nil {
		return nil, err
	}
	f, err := lockfile.Open(lck, s.annexFileMode())
	if ferr := fsutil.FreezeDir(keyDir, s.opts.Shared); err == nil && ferr != nil {
		f.Close()
		return nil, ferr
	}
	return f, err
}

// Release drops the lock. Like git-annex, after a shared lock it removes the
// .lck file if no one else holds a lock on it. Release is not idempotent:
// a second call returns an error wrapping fs.ErrClosed.
func (l *ContentLock) Release() error {
	if !l.exclusive && l.f.TryExclusive() == nil {
		l.s.removeLockFile(l.object)
	}
	return l.f.Close()
}

// removeLockFile removes object's .lck under a thawed key directory.
func (s *Store) removeLockFile(object string) {
	keyDir := filepath.Dir(object)
	if fsutil.ThawDir(keyDir) != nil {
		return
	}
	os.Remove(object + ".lck")
	_ = fsutil.FreezeDir(keyDir, s.opts.Shared) // best effort: the lock file is what matters here
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
	return l.s.cleanObject(l.object, func() error {
		if err := os.Remove(l.object); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", l.k, err)
		}
		return nil
	})
}

// cleanObject thaws object's key directory, runs f (which disposes of the
// object), then removes the .lck, the key directory and the hash
// directories left empty (git-annex's cleanObjectLoc).
func (s *Store) cleanObject(object string, f func() error) error {
	keyDir := filepath.Dir(object)
	if err := fsutil.ThawDir(keyDir); err != nil {
		return err
	}
	if err := f(); err != nil {
		_ = fsutil.FreezeDir(keyDir, s.opts.Shared) // best effort: the lock file is what matters here
		return err
	}
	if err := os.Remove(object + ".lck"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s.lck: %w", object, err)
	}
	if err := os.Remove(keyDir); err != nil && !errors.Is(err, fs.ErrNotExist) {
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
		if os.Remove(dir) != nil {
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
	err = s.cleanObject(object, func() error {
		if err := os.Rename(object, dest); err != nil {
			return fmt.Errorf("move %s to bad: %w", k, err)
		}
		return nil
	})
	return dest, err
}
