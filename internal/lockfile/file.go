package lockfile

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/troveproject/trove/internal/fsutil"
)

// ErrLocked is returned (wrapped) by the Try methods when another process or
// another File holds a conflicting lock.
var ErrLocked = errors.New("lock is held elsewhere")

// File is an open lock file. Its lock is shared, exclusive or absent; locking
// again converts the lock in place (shared to exclusive or back), as fcntl
// does. A File is safe for concurrent use, but the lock it holds is one lock:
// concurrent callers on the same File do not exclude each other.
type File struct {
	mu   sync.Mutex
	f    *os.File
	path string
}

// Open opens the lock file at path, creating it with mode perm (subject to
// the umask) if it does not exist. The file is opened read-write when
// possible; if the file exists but is not writable by us it is opened
// read-only, and only shared locks can then be taken (exclusive ones fail with
// an error wrapping unix.EBADF), as with git-annex.
func Open(path string, perm fs.FileMode) (*File, error) {
	f, err := fsutil.OpenFile(path, os.O_RDWR|os.O_CREATE, perm)
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, unix.EROFS) {
		f, err = fsutil.Open(path)
	}
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	return &File{f: f, path: path}, nil
}

// OpenExisting opens an existing lock file read-only without creating it. It
// is meant for shared locks and Test on files owned by someone else; the
// error wraps fs.ErrNotExist when the file is missing.
func OpenExisting(path string) (*File, error) {
	f, err := fsutil.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	return &File{f: f, path: path}, nil
}

// Path returns the path the File was opened with.
func (l *File) Path() string { return l.path }

// LockShared blocks until it holds a shared (read) lock on the whole file or
// ctx is done, in which case it returns ctx's error and holds no new lock.
func (l *File) LockShared(ctx context.Context) error {
	return l.lock(ctx, unix.F_RDLCK)
}

// LockExclusive blocks until it holds an exclusive (write) lock on the whole
// file or ctx is done, in which case it returns ctx's error and holds no new
// lock.
func (l *File) LockExclusive(ctx context.Context) error {
	return l.lock(ctx, unix.F_WRLCK)
}

// TryShared takes a shared lock without waiting. It returns an error wrapping
// ErrLocked if an exclusive lock is held elsewhere.
func (l *File) TryShared() error { return l.try(unix.F_RDLCK) }

// TryExclusive takes an exclusive lock without waiting. It returns an error
// wrapping ErrLocked if any lock is held elsewhere.
func (l *File) TryExclusive() error { return l.try(unix.F_WRLCK) }

// Unlock releases the lock, if any, keeping the file open. Unlocking a File
// that holds no lock is not an error.
func (l *File) Unlock() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return fmt.Errorf("unlock %s: %w", l.path, fs.ErrClosed)
	}
	return l.setlk(unix.F_OFD_SETLK, unix.F_UNLCK, "unlock")
}

// Close releases the lock and closes the file. Closing twice returns an
// error wrapping fs.ErrClosed.
func (l *File) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return fmt.Errorf("close lock file %s: %w", l.path, fs.ErrClosed)
	}
	err := l.f.Close()
	l.f = nil
	if err != nil {
		return fmt.Errorf("close lock file: %w", err)
	}
	return nil
}

// Test reports whether a lock conflicting with an exclusive lock (that is,
// any lock) is held on the file by another process or another File, without
// taking one.
func (l *File) Test() (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return false, fmt.Errorf("test lock %s: %w", l.path, fs.ErrClosed)
	}
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0}
	if err := unix.FcntlFlock(l.f.Fd(), unix.F_OFD_GETLK, &lk); err != nil {
		return false, fmt.Errorf("test lock %s: %w", l.path, err)
	}
	return lk.Type != unix.F_UNLCK, nil
}

func (l *File) try(typ int16) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return fmt.Errorf("lock %s: %w", l.path, fs.ErrClosed)
	}
	return l.setlk(unix.F_OFD_SETLK, typ, "lock")
}

// pollMax bounds the wait between attempts while a cancellable lock waits.
const pollMax = 50 * time.Millisecond

func (l *File) lock(ctx context.Context, typ int16) error {
	if ctx.Done() == nil {
		// Not cancellable: let the kernel wait for us.
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.f == nil {
			return fmt.Errorf("lock %s: %w", l.path, fs.ErrClosed)
		}
		for {
			err := l.setlk(unix.F_OFD_SETLKW, typ, "lock")
			if !errors.Is(err, unix.EINTR) {
				return err
			}
		}
	}
	// Cancellable: poll with a growing interval, since a thread blocked in
	// F_OFD_SETLKW cannot be woken portably.
	wait := time.Millisecond
	var timer *time.Timer
	for {
		err := l.try(typ)
		if !errors.Is(err, ErrLocked) {
			return err
		}
		if timer == nil {
			timer = time.NewTimer(wait)
			defer timer.Stop()
		} else {
			timer.Reset(wait)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("lock %s: %w", l.path, ctx.Err())
		case <-timer.C:
		}
		wait = min(wait*2, pollMax)
	}
}

// setlk applies one fcntl command; l.mu must be held and l.f open.
func (l *File) setlk(cmd int, typ int16, what string) error {
	lk := unix.Flock_t{Type: typ, Whence: 0, Start: 0, Len: 0}
	err := unix.FcntlFlock(l.f.Fd(), cmd, &lk)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EACCES):
		return fmt.Errorf("%s %s: %w", what, l.path, ErrLocked)
	default:
		return fmt.Errorf("%s %s: %w", what, l.path, err)
	}
}

// SameFile reports whether the path the File was opened with still names
// the open file. A lock taken on a file that someone removed (and perhaps
// recreated) meanwhile excludes nobody; callers whose lock files are
// removed after use check this after locking, as git-annex's checkSaneLock
// does.
func (l *File) SameFile() (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return false, fmt.Errorf("stat lock %s: %w", l.path, fs.ErrClosed)
	}
	open, err := l.f.Stat()
	if err != nil {
		return false, fmt.Errorf("stat lock %s: %w", l.path, err)
	}
	named, err := os.Stat(l.path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("stat lock %s: %w", l.path, err)
	}
	return os.SameFile(open, named), nil
}
