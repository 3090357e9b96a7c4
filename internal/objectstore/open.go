package objectstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
)

// OpenObject opens k's object for reading, looking in each candidate
// location in Find's order, and returns the file and its size. It costs one
// open and one fstat where Find followed by os.Open costs more. Absent
// content gives an error wrapping ErrNotPresent. The bytes stay readable
// through the returned file even if the object is dropped meanwhile; a
// caller that must keep the object in place takes LockShared instead. The
// caller closes the file.
func (s *Store) OpenObject(k key.Key) (*os.File, int64, error) {
	for _, d := range s.hashDirs(k) {
		p := s.pathIn(d, k)
		f, err := fsutil.OpenFile(p, os.O_RDONLY|unix.O_NOFOLLOW, 0)
		switch {
		case err == nil:
			fi, err := f.Stat()
			if err != nil {
				f.Close()
				return nil, 0, fmt.Errorf("open %s: %w", p, err)
			}
			if fi.Mode().IsRegular() {
				return f, fi.Size(), nil
			}
			f.Close()
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, fsNotDir) || errors.Is(err, unix.ELOOP):
		default:
			return nil, 0, fmt.Errorf("open %s: %w", p, err)
		}
	}
	return nil, 0, fmt.Errorf("open %s: %w", k, ErrNotPresent)
}
