package objectstore

import (
	"errors"
	"io/fs"
	"syscall"

	"github.com/troveproject/trove/internal/fsutil"
)

// inKeyDir runs op, which creates or removes an entry of the key
// directory dir. Key directories are frozen (no write permission), as
// git-annex leaves them; a process that may override permissions (root)
// needs no thawing, and thawing and freezing again around every lock file
// would cost four system calls for nothing. So op is first tried as it is,
// and only when dir refuses it (a permission error) is dir thawed and op
// run again; once a refusal was seen, later calls thaw first. dir is then
// frozen again unless keepThawed. thawed reports whether dir was left
// thawed (only with keepThawed); freeze it again with FreezeDir when done.
func (s *Store) inKeyDir(dir string, keepThawed bool, op func() error) (thawed bool, err error) {
	var refused error
	if !s.frozenRefuses.Load() {
		refused = op()
		if !errors.Is(refused, fs.ErrPermission) {
			return false, refused
		}
		s.frozenRefuses.Store(true)
	}
	if err := fsutil.ThawDir(dir); err != nil {
		if refused != nil {
			return false, refused // not a frozen directory's doing after all
		}
		return false, err
	}
	err = op()
	if keepThawed && err == nil {
		return true, nil
	}
	if ferr := fsutil.FreezeDir(dir, s.opts.Shared); err == nil {
		err = ferr
	}
	return false, err
}

// unlink removes the file at path (never a directory, unlike os.Remove,
// which tries rmdir(2) after a failed unlink(2)).
func unlink(path string) error {
	if err := syscall.Unlink(path); err != nil {
		return &fs.PathError{Op: "unlink", Path: path, Err: err}
	}
	return nil
}

// rmdir removes the empty directory at path.
func rmdir(path string) error {
	if err := syscall.Rmdir(path); err != nil {
		return &fs.PathError{Op: "rmdir", Path: path, Err: err}
	}
	return nil
}
