package testutil

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TempDir returns a new directory that is removed when t ends, like
// t.TempDir, but it first makes every directory under it writable again, so
// the removal also succeeds after git-annex (or Trove) made object
// directories read-only. Without this, a non-root test run fails in cleanup.
func TempDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	// Cleanups run last-in first-out, so this runs before t.TempDir's removal.
	t.Cleanup(func() { makeWritable(dir) })
	return dir
}

// makeWritable adds owner write and search permission to every directory
// under root. Errors are ignored: the removal that follows reports them.
func makeWritable(root string) {
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil && info.Mode().Perm()&0o700 != 0o700 {
			_ = os.Chmod(path, info.Mode().Perm()|0o700)
		}
		return nil
	})
}
