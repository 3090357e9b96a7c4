package objectstore

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/lockfile"
)

// Options describe the repository's object layout and permissions.
type Options struct {
	// Bare is set for bare repositories: new objects go to hashDirLower
	// directories, and lookups try lower before mixed.
	Bare bool
	// ObjectHashLower is annex.tune.objecthashlower: only hashDirLower
	// directories are used.
	ObjectHashLower bool
	// OneLevel is annex.tune.objecthash1: one level of hash directories.
	OneLevel bool
	// Thin is annex.thin: IngestCopy hard-links the unlocked file to its
	// object, which then stays writable.
	Thin bool
	// Shared is core.sharedRepository.
	Shared fsutil.Shared
}

// Store is the object store of one repository. Create it with Open and
// release it with Close. It is safe for concurrent use.
type Store struct {
	annexDir string
	objects  string
	tmp      string
	othertmp string
	bad      string
	opts     Options

	// dirs caches directories known to exist (hash dirs, tmp dirs) so the
	// add path does not stat or mkdir them once per file.
	dirs sync.Map

	// keyLocks serialise ingests and drops of one key within this process.
	keyLocks [64]sync.Mutex
	seed     maphash.Seed

	seq atomic.Uint64

	// otherTmpLock is a shared lock on othertmp.lck held while this Store
	// may have files in othertmp: git-annex deletes othertmp when it can
	// lock that file exclusively.
	otherTmpMu   sync.Mutex
	otherTmpLock *lockfile.File

	// frozenRefuses is set once a frozen key directory refused a change
	// (see inKeyDir).
	frozenRefuses atomic.Bool
}

// Open returns the Store of the repository whose annex directory is annexDir
// (".git/annex" of a non-bare repository, "annex" inside a bare one). It does
// no I/O; directories are created when first needed.
func Open(annexDir string, opts Options) *Store {
	return &Store{
		annexDir: annexDir,
		objects:  filepath.Join(annexDir, "objects"),
		tmp:      filepath.Join(annexDir, "tmp"),
		othertmp: filepath.Join(annexDir, "othertmp"),
		bad:      filepath.Join(annexDir, "bad"),
		opts:     opts,
		seed:     maphash.MakeSeed(),
	}
}

// Close releases the Store's lock on othertmp. The Store must not be used
// afterwards. Closing twice is harmless.
func (s *Store) Close() error {
	s.otherTmpMu.Lock()
	defer s.otherTmpMu.Unlock()
	if s.otherTmpLock == nil {
		return nil
	}
	err := s.otherTmpLock.Close()
	s.otherTmpLock = nil
	return err
}

// ObjectsDir returns the directory holding all objects.
func (s *Store) ObjectsDir() string { return s.objects }

// hashDirs returns k's candidate hash directories (slash-terminated) in
// git-annex's lookup order; the first is where new content is written.
func (s *Store) hashDirs(k key.Key) []string {
	lower, mixed := k.HashDirLower, k.HashDirMixed
	if s.opts.OneLevel {
		lower, mixed = k.HashDirLower1, k.HashDirMixed1
	}
	switch {
	case s.opts.ObjectHashLower:
		return []string{lower()}
	case s.opts.Bare:
		return []string{lower(), mixed()}
	default:
		return []string{mixed(), lower()}
	}
}

// HashDir returns the hash directory (e.g. "J7/0G/") under which new content
// for k is written: the directory part of symlink targets to k.
func (s *Store) HashDir(k key.Key) string { return s.hashDirs(k)[0] }

func (s *Store) pathIn(hashDir string, k key.Key) string {
	kf := k.File()
	return filepath.Join(s.objects, filepath.FromSlash(hashDir), kf, kf)
}

// ObjectPath returns the path at which content for k is written when it is
// not present anywhere yet. Use Find to locate existing content.
func (s *Store) ObjectPath(k key.Key) string { return s.pathIn(s.hashDirs(k)[0], k) }

// Find returns the path of k's object, looking in each candidate location in
// git-annex's order (non-bare: mixed then lower; bare: lower then mixed), and
// whether it is present there. When absent, path is ObjectPath(k). The error
// is non-nil only when presence cannot be determined.
func (s *Store) Find(k key.Key) (path string, present bool, err error) {
	for _, d := range s.hashDirs(k) {
		p := s.pathIn(d, k)
		fi, err := os.Lstat(p)
		switch {
		case err == nil:
			if fi.Mode().IsRegular() {
				return p, true, nil
			}
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, fsNotDir):
		default:
			return s.ObjectPath(k), false, fmt.Errorf("find %s: %w", k, err)
		}
	}
	return s.ObjectPath(k), false, nil
}

// Has reports whether content for k is present.
func (s *Store) Has(k key.Key) (bool, error) {
	_, ok, err := s.Find(k)
	return ok, err
}

// TmpPath returns .git/annex/tmp/<keyfile>, where content arriving for k is
// collected. Partial data left there by an interrupted transfer may be
// resumed by appending to it and then calling IngestTmp.
func (s *Store) TmpPath(k key.Key) string { return filepath.Join(s.tmp, k.File()) }

// lockKey serialises work on k within this process.
func (s *Store) lockKey(k key.Key) func() {
	m := &s.keyLocks[maphash.String(s.seed, k.String())%uint64(len(s.keyLocks))]
	m.Lock()
	return m.Unlock
}

// ensureDir creates dir (with annex permissions) unless it is known to
// exist.
func (s *Store) ensureDir(dir string) error {
	if _, ok := s.dirs.Load(dir); ok {
		return nil
	}
	if err := fsutil.MkdirAll(dir, s.opts.Shared); err != nil {
		return err
	}
	s.dirs.Store(dir, struct{}{})
	return nil
}

// forgetDir drops dir from the cache after it turned out to be missing.
func (s *Store) forgetDir(dir string) { s.dirs.Delete(dir) }

// holdOtherTmp takes (once) the shared lock on othertmp.lck and makes sure
// othertmp exists.
func (s *Store) holdOtherTmp() error {
	s.otherTmpMu.Lock()
	defer s.otherTmpMu.Unlock()
	if s.otherTmpLock == nil {
		if err := s.ensureDir(s.annexDir); err != nil {
			return err
		}
		l, err := lockfile.Open(filepath.Join(s.annexDir, "othertmp.lck"), s.annexFileMode())
		if err != nil {
			return err
		}
		if err := l.TryShared(); err != nil {
			l.Close()
			return fmt.Errorf("othertmp is being cleaned by another process: %w", err)
		}
		s.otherTmpLock = l
	}
	return s.ensureDir(s.othertmp)
}

// annexFileMode is the mode of non-content files git-annex creates
// (annexFileMode in Annex/Perms.hs).
func (s *Store) annexFileMode() fs.FileMode {
	switch s.opts.Shared {
	case fsutil.GroupShared:
		return 0o664
	case fsutil.AllShared:
		return 0o666
	default:
		return 0o644
	}
}
