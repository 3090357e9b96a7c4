package fsutil

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// SyncFS flushes the file system holding path (a file or directory) to
// stable storage with one syncfs(2): everything written to it before the
// call survives a power failure once it returns.
func SyncFS(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	defer f.Close()
	if err := unix.Syncfs(int(f.Fd())); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}
