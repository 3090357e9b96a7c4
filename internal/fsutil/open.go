package fsutil

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// OpenFile is os.OpenFile for regular files and directories, in two
// system calls instead of seven: os.OpenFile offers every descriptor to
// the network poller (F_GETFL, F_SETFL, a failing epoll_ctl, F_GETFL,
// F_SETFL) and fstats it, which is most of the cost of opening the many
// small files of an annex (objects, lock files, transfer records). The
// descriptor is opened blocking and close-on-exec; errors are
// *fs.PathError as from os.OpenFile. Do not use it for pipes, sockets or
// terminals, whose reads should go through the poller.
func OpenFile(path string, flag int, perm fs.FileMode) (*os.File, error) {
	var fd int
	var err error
	for {
		fd, err = unix.Open(path, flag|unix.O_CLOEXEC, uint32(perm.Perm()))
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}

// Open opens path for reading, as os.Open, with OpenFile.
func Open(path string) (*os.File, error) { return OpenFile(path, os.O_RDONLY, 0) }
