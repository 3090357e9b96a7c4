package directory

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// exportPath is where loc is in the directory. A location never has ".."
// or empty segments, so the path is always under r.dir.
func (r *Remote) exportPath(loc remote.ExportLocation) string {
	return filepath.Join(r.dir, filepath.FromSlash(loc.String()))
}

// StoreExport implements remote.Exporter: the content is written to a
// temporary file beside loc and renamed over it, as git-annex does.
func (r *Remote) StoreExport(ctx context.Context, src remote.Source, k key.Key, loc remote.ExportLocation, m progress.Meter) (err error) {
	if err := r.checkDir(); err != nil {
		return err
	}
	dest := r.exportPath(loc)
	if err := os.MkdirAll(filepath.Dir(dest), 0o777); err != nil {
		return fmt.Errorf("export %s to %s: %w", loc, r.dir, err)
	}
	tmp := filepath.Join(filepath.Dir(dest), ".trove-tmp-"+strconv.Itoa(os.Getpid())+"-"+filepath.Base(dest))
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	if err := copySource(ctx, tmp, src, m, true); err != nil {
		return fmt.Errorf("export %s to %s: %w", loc, dest, err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return fmt.Errorf("export %s to %s: %w", loc, dest, err)
	}
	return nil
}

// RetrieveExport implements remote.Exporter.
func (r *Remote) RetrieveExport(ctx context.Context, k key.Key, loc remote.ExportLocation, dst remote.Sink, m progress.Meter) error {
	p := r.exportPath(loc)
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		if err := r.checkDir(); err != nil {
			return err
		}
		return fmt.Errorf("%s is not in the export in %s: %w", loc, r.dir, remote.ErrNotPresent)
	}
	if err != nil {
		return fmt.Errorf("retrieve %s: %w", p, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil {
		m.SetTotal(fi.Size())
	}
	if err := dst.Restart(); err != nil {
		return err
	}
	if err := copyStream(ctx, dst, f, m); err != nil {
		return fmt.Errorf("retrieve %s: %w", p, err)
	}
	return nil
}

// CheckPresentExport implements remote.Exporter; a missing storage
// directory is an error (presence unknown).
func (r *Remote) CheckPresentExport(ctx context.Context, k key.Key, loc remote.ExportLocation) (bool, error) {
	fi, err := os.Stat(r.exportPath(loc))
	if err == nil {
		return fi.Mode().IsRegular(), nil
	}
	if err := r.checkDir(); err != nil {
		return false, err
	}
	return false, nil
}

// RemoveExport implements remote.Exporter: the file is removed, then the
// directories it was in while they are empty (as git-annex's directory
// remote does).
func (r *Remote) RemoveExport(ctx context.Context, k key.Key, loc remote.ExportLocation) error {
	if err := r.checkDir(); err != nil {
		return err
	}
	p := r.exportPath(loc)
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("unexport %s: %w", p, err)
	}
	for _, d := range loc.Dirs() {
		if !r.removeEmptyDir(d) {
			break
		}
	}
	return nil
}

// RemoveExportDirectory implements remote.Exporter: the directory is
// removed when it is empty (RemoveExport already removed the files of the
// export in it); anything else left there is not the export's to delete.
func (r *Remote) RemoveExportDirectory(ctx context.Context, dir remote.ExportLocation) error {
	r.removeEmptyDir(dir)
	return nil
}

// removeEmptyDir removes dir if it is empty and reports whether it is
// gone.
func (r *Remote) removeEmptyDir(dir remote.ExportLocation) bool {
	err := os.Remove(r.exportPath(dir))
	return err == nil || errors.Is(err, fs.ErrNotExist)
}

// RenameExport implements remote.Exporter with a rename in the directory.
func (r *Remote) RenameExport(ctx context.Context, k key.Key, from, to remote.ExportLocation) (bool, error) {
	dest := r.exportPath(to)
	if err := os.MkdirAll(filepath.Dir(dest), 0o777); err != nil {
		return true, fmt.Errorf("rename %s to %s in %s: %w", from, to, r.dir, err)
	}
	if err := os.Rename(r.exportPath(from), dest); err != nil {
		return true, fmt.Errorf("rename %s to %s in %s: %w", from, to, r.dir, err)
	}
	for _, d := range from.Dirs() {
		if !r.removeEmptyDir(d) {
			break
		}
	}
	return true, nil
}

var _ remote.Exporter = (*Remote)(nil)
