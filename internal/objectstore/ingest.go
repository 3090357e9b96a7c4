package objectstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
)

// IngestMove adds the regular file at srcPath as `git annex add` does for a
// locked file, and returns its key under backend b (filename and maxExtLen
// select the extension of *E keys; WORM keys use filename as their name).
//
// The file is locked down by hard-linking it into .git/annex/othertmp and
// removing its write bits, hashed reading it once, and the link is renamed
// into ObjectPath(key). srcPath is left where it is (read-only, and sharing
// the object's inode when it was linked): the caller replaces it with a
// symlink by renaming one over it, so the work tree never lacks the file.
// If the content is already present, the existing object is kept. When
// hard-linking is impossible (or the file already has other links) the file
// is copied while hashing instead.
//
// On any error srcPath is left in place with its original mode and nothing
// new is left in objects/. If the file was written to while it was hashed,
// the error wraps ErrModified. A process killed at any point leaves srcPath
// or a complete object (or both).
func (s *Store) IngestMove(ctx context.Context, srcPath string, b *backend.Backend, filename string, maxExtLen int) (key.Key, error) {
	fi, err := os.Lstat(srcPath)
	if err != nil {
		return key.Key{}, fmt.Errorf("add %s: %w", srcPath, err)
	}
	if !fi.Mode().IsRegular() {
		return key.Key{}, fmt.Errorf("add %s: not a regular file", srcPath)
	}
	if err := s.holdOtherTmp(); err != nil {
		return key.Key{}, fmt.Errorf("add %s: %w", srcPath, err)
	}
	tmp, linked, err := s.lockDown(srcPath, fi)
	if err != nil {
		return key.Key{}, fmt.Errorf("add %s: %w", srcPath, err)
	}
	origMode := fi.Mode().Perm()
	restore := func() {
		os.Remove(tmp)
		if linked {
			_ = os.Chmod(srcPath, origMode) // best effort while already failing
		}
	}
	var k key.Key
	if linked {
		if err := os.Chmod(tmp, fsutil.FrozenFileMode(origMode, s.opts.Shared)); err != nil {
			restore()
			return key.Key{}, fmt.Errorf("add %s: %w", srcPath, err)
		}
		k, err = s.hashLinked(ctx, tmp, b, filename, maxExtLen)
	} else {
		k, err = s.copyIn(ctx, srcPath, tmp, b, filename, maxExtLen)
	}
	if err != nil {
		restore()
		return key.Key{}, fmt.Errorf("add %s: %w", srcPath, err)
	}
	if err := s.commit(k, tmp, !linked); err != nil {
		restore()
		return key.Key{}, fmt.Errorf("add %s: %w", srcPath, err)
	}
	return k, nil
}

// IngestCopy adds the content of the regular file at srcPath, which stays
// untouched, as `git add` of an unlocked file does, and returns its key. The
// content is copied into .git/annex/othertmp while it is hashed (one read),
// fsynced, frozen and renamed into place. With Options.Thin the object is a
// hard link to srcPath instead and is left writable, as git-annex does. If
// the content is already present the existing object is kept.
//
// If srcPath changes during the copy, the object still matches the returned
// key (it is what was hashed). On error nothing is left in objects/.
func (s *Store) IngestCopy(ctx context.Context, srcPath string, b *backend.Backend, filename string, maxExtLen int) (key.Key, error) {
	fi, err := os.Stat(srcPath)
	if err != nil {
		return key.Key{}, fmt.Errorf("add %s: %w", srcPath, err)
	}
	if !fi.Mode().IsRegular() {
		return key.Key{}, fmt.Errorf("add %s: not a regular file", srcPath)
	}
	if err := s.holdOtherTmp(); err != nil {
		return key.Key{}, fmt.Errorf("add %s: %w", srcPath, err)
	}
	tmp := s.otherTmpName()
	var k key.Key
	linked := false
	if s.opts.Thin {
		if err := os.Link(srcPath, tmp); err == nil {
			linked = true
			k, err = s.hashLinked(ctx, tmp, b, filename, maxExtLen)
			if err != nil {
				os.Remove(tmp)
				return key.Key{}, fmt.Errorf("add %s: %w", srcPath, err)
			}
		}
	}
	if !linked {
		k, err = s.copyIn(ctx, srcPath, tmp, b, filename, maxExtLen)
		if err != nil {
			os.Remove(tmp)
			return key.Key{}, fmt.Errorf("add %s: %w", srcPath, err)
		}
	}
	if err := s.commit(k, tmp, !linked); err != nil {
		os.Remove(tmp)
		return key.Key{}, fmt.Errorf("add %s: %w", srcPath, err)
	}
	return k, nil
}

// IngestKnown stores content for k read from r, as when getting it from a
// remote. The bytes are written to TmpPath(k) (truncating it), verified
// against k while they are written (size only for keys that cannot be
// verified by hashing, such as WORM and URL keys), fsynced and renamed into
// place. If r fails, the partial data stays in TmpPath(k) for a later resume
// and the error is returned. If the content does not match k, the temporary
// file is removed and the error is a *BadContentError. If k is already
// present, r is not read and nil is returned.
func (s *Store) IngestKnown(ctx context.Context, k key.Key, r io.Reader) error {
	if ok, err := s.Has(k); err != nil || ok {
		return err
	}
	if err := s.ensureDir(s.tmp); err != nil {
		return fmt.Errorf("store %s: %w", k, err)
	}
	tmp := s.TmpPath(k)
	f, err := fsutil.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return fmt.Errorf("store %s: %w", k, err)
	}
	v := newKeyVerifier(k)
	_, err = io.CopyBuffer(f, io.TeeReader(fsutil.ContextReader(ctx, r), v), make([]byte, 1<<20))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("store %s in %s: %w", k, tmp, err)
	}
	return s.finishTmp(k, tmp, v)
}

// IngestTmp moves the complete content for k already collected in
// TmpPath(k) (for example by a resumed transfer) into place after verifying
// it (reading it once). Mismatching content is removed and reported as a
// *BadContentError. If k is already present the temporary file is removed.
func (s *Store) IngestTmp(ctx context.Context, k key.Key) error {
	tmp := s.TmpPath(k)
	f, err := fsutil.Open(tmp)
	if err != nil {
		return fmt.Errorf("store %s: %w", k, err)
	}
	v := newKeyVerifier(k)
	_, err = fsutil.ReadAll(ctx, f, v)
	f.Close()
	if err != nil {
		return fmt.Errorf("store %s: %w", k, err)
	}
	return s.finishTmp(k, tmp, v)
}

func (s *Store) finishTmp(k key.Key, tmp string, v *keyVerifier) error {
	if err := v.verify(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := s.commit(k, tmp, true); err != nil {
		return fmt.Errorf("store %s: %w", k, err)
	}
	return nil
}

// lockDown hard-links src into othertmp, or reserves a name there for a
// copy when linking is impossible or src has other links.
func (s *Store) lockDown(src string, fi fs.FileInfo) (tmp string, linked bool, err error) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Nlink > 1 {
		return s.otherTmpName(), false, nil
	}
	for range 3 {
		tmp = s.otherTmpName()
		err = os.Link(src, tmp)
		if err == nil {
			return tmp, true, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if errors.Is(err, fs.ErrNotExist) {
		// src vanished (or othertmp did); nothing to fall back to.
		if _, serr := os.Lstat(src); serr != nil {
			return "", false, serr
		}
		s.forgetDir(s.othertmp)
	}
	// Cross-device, unsupported, too many links: copy instead.
	return s.otherTmpName(), false, nil
}

func (s *Store) otherTmpName() string {
	return filepath.Join(s.othertmp, "ingest."+strconv.Itoa(os.Getpid())+"."+strconv.FormatUint(s.seq.Add(1), 10))
}

// hashLinked hashes the locked-down file at tmp and checks that it was not
// modified meanwhile (through a descriptor opened before the lock-down).
func (s *Store) hashLinked(ctx context.Context, tmp string, b *backend.Backend, filename string, maxExtLen int) (key.Key, error) {
	f, err := fsutil.Open(tmp)
	if err != nil {
		return key.Key{}, err
	}
	defer f.Close()
	before, err := f.Stat()
	if err != nil {
		return key.Key{}, err
	}
	h := b.NewHash()
	var n int64
	if h != nil {
		if n, err = fsutil.ReadAll(ctx, f, h); err != nil {
			return key.Key{}, err
		}
	}
	after, err := f.Stat()
	if err != nil {
		return key.Key{}, err
	}
	if changed(before, after) || (h != nil && n != after.Size()) {
		return key.Key{}, ErrModified
	}
	return makeKey(b, h, after, filename, maxExtLen)
}

// copyIn copies src to tmp while hashing, fsyncs it and returns the key.
func (s *Store) copyIn(ctx context.Context, src, tmp string, b *backend.Backend, filename string, maxExtLen int) (key.Key, error) {
	h := b.NewHash()
	var w io.Writer
	if h != nil {
		w = h
	}
	n, err := fsutil.CopyFile(ctx, src, tmp, w)
	if err != nil {
		return key.Key{}, err
	}
	fi, err := os.Stat(src)
	if err != nil {
		return key.Key{}, err
	}
	if h == nil && n != fi.Size() {
		return key.Key{}, ErrModified
	}
	return makeKey(b, h, sizedInfo{fi, n}, filename, maxExtLen)
}

// sizedInfo overrides the size of a FileInfo with the number of bytes
// actually copied.
type sizedInfo struct {
	fs.FileInfo
	n int64
}

func (i sizedInfo) Size() int64 { return i.n }

func makeKey(b *backend.Backend, h interface{ Sum([]byte) []byte }, fi fs.FileInfo, filename string, maxExtLen int) (key.Key, error) {
	if b.IsHash() {
		return b.KeyFromSum(h.Sum(nil), fi.Size(), filename, maxExtLen), nil
	}
	if b.Name() == "WORM" {
		return backend.WORMKey(filename, fi.Size(), fi.ModTime().Unix()), nil
	}
	return key.Key{}, fmt.Errorf("backend %s cannot make keys from content", b.Name())
}

func changed(a, b fs.FileInfo) bool {
	if a.Size() != b.Size() || !a.ModTime().Equal(b.ModTime()) {
		return true
	}
	sa, oka := a.Sys().(*syscall.Stat_t)
	sb, okb := b.Sys().(*syscall.Stat_t)
	return oka && okb && (sa.Ctim != sb.Ctim || sa.Ino != sb.Ino)
}

// commit moves the complete temporary file tmp holding k's content into
// place. freeze says whether the file's write bits are to be removed (not
// for thin hard links; IngestMove froze its link already). If k is already
// present, tmp is removed and the existing object kept.
func (s *Store) commit(k key.Key, tmp string, freeze bool) error {
	unlock := s.lockKey(k)
	defer unlock()
	if _, ok, err := s.Find(k); err != nil {
		return err
	} else if ok {
		return os.Remove(tmp)
	}
	if freeze {
		if err := fsutil.FreezeFile(tmp, s.opts.Shared); err != nil {
			return err
		}
	}
	dest := s.ObjectPath(k)
	keyDir := filepath.Dir(dest)
	for attempt := 0; ; attempt++ {
		err := s.renameIntoKeyDir(tmp, dest, keyDir)
		if err == nil {
			break
		}
		// Another process may have stored k meanwhile (and frozen the
		// key directory), or removed a hash directory (a drop removes
		// the ones it leaves empty) before or while it was created.
		if _, ok, ferr := s.Find(k); ferr == nil && ok {
			return os.Remove(tmp)
		}
		if attempt >= hashDirRetries || !(errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrExist)) {
			return err
		}
		s.forgetDir(filepath.Dir(keyDir))
	}
	if err := fsutil.FreezeDir(keyDir, s.opts.Shared); err != nil {
		return err
	}
	return nil
}

// hashDirRetries bounds how often commit creates a hash directory again
// that drops keep removing; each drop removes it only when it is empty.
const hashDirRetries = 64

func (s *Store) renameIntoKeyDir(tmp, dest, keyDir string) error {
	if err := s.ensureDir(filepath.Dir(keyDir)); err != nil {
		return err
	}
	if err := fsutil.Mkdir(keyDir, s.opts.Shared); errors.Is(err, fs.ErrExist) {
		// Possibly left frozen by a drop or an earlier crash.
		if err := fsutil.ThawDir(keyDir); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	if err := os.Rename(tmp, dest); err != nil {
		return fmt.Errorf("store %s: %w", dest, err)
	}
	return nil
}
