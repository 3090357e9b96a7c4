package fsutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// copyBufSize is the read size of the copy loop. Larger buffers did not help
// (the loop is bound by hashing), smaller ones cost syscalls.
const copyBufSize = 1 << 20

var bufPool = sync.Pool{New: func() any { b := make([]byte, copyBufSize); return &b }}

// CopyFile copies the regular file src to dst (created or truncated, mode
// 0666 before the umask) and returns the number of bytes copied. Every byte
// copied is also written to w, when w is not nil, so the caller can hash
// while copying. dst is fsynced and closed before CopyFile returns; on error
// dst is removed. ctx is checked between blocks.
func CopyFile(ctx context.Context, src, dst string, w io.Writer) (n int64, err error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, fmt.Errorf("copy: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return 0, fmt.Errorf("copy %s: %w", src, err)
	}
	defer func() {
		if err != nil {
			out.Close()
			os.Remove(dst)
		}
	}()
	if n, err = Copy(ctx, out, in, w); err != nil {
		return n, err
	}
	if err = out.Sync(); err != nil {
		return n, fmt.Errorf("copy to %s: %w", dst, err)
	}
	if err = out.Close(); err != nil {
		return n, fmt.Errorf("copy to %s: %w", dst, err)
	}
	return n, nil
}

// Copy copies src from its current offset to its end into dst at dst's
// current offset, writing every byte also to w when w is not nil, and returns
// the number of bytes copied. It does not sync or close either file.
//
// When dst and src are empty and at offset zero and the file system supports
// it, the copy is a reflink (FICLONE): no data is copied, and src is then
// read once only when w needs the bytes. Otherwise, without w it uses
// copy_file_range (in-kernel copy); with w it reads each block once and
// writes it to both dst and w, which measured as fast as copy_file_range plus
// a second read of the same block for hashing, and never slower.
func Copy(ctx context.Context, dst, src *os.File, w io.Writer) (int64, error) {
	if tryReflink(dst, src) {
		if w == nil {
			fi, err := src.Stat()
			if err != nil {
				return 0, fmt.Errorf("copy %s: %w", src.Name(), err)
			}
			return fi.Size(), nil
		}
		return readLoop(ctx, nil, src, w)
	}
	if w == nil {
		return copyRange(ctx, dst, src)
	}
	return readLoop(ctx, dst, src, w)
}

// tryReflink clones src into dst when both are at offset 0 and dst is empty.
func tryReflink(dst, src *os.File) bool {
	if off, err := src.Seek(0, io.SeekCurrent); err != nil || off != 0 {
		return false
	}
	fi, err := dst.Stat()
	if err != nil || fi.Size() != 0 {
		return false
	}
	if off, err := dst.Seek(0, io.SeekCurrent); err != nil || off != 0 {
		return false
	}
	return unix.IoctlFileClone(int(dst.Fd()), int(src.Fd())) == nil
}

// copyRange copies with copy_file_range, falling back to the read loop when
// the kernel or file system refuses.
func copyRange(ctx context.Context, dst, src *os.File) (int64, error) {
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, fmt.Errorf("copy %s: %w", src.Name(), err)
		}
		m, err := unix.CopyFileRange(int(src.Fd()), nil, int(dst.Fd()), nil, 64<<20, 0)
		if err != nil {
			if n == 0 && (errors.Is(err, unix.EXDEV) || errors.Is(err, unix.ENOSYS) ||
				errors.Is(err, unix.EINVAL) || errors.Is(err, unix.EOPNOTSUPP)) {
				return readLoop(ctx, dst, src, nil)
			}
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return n, fmt.Errorf("copy %s to %s: %w", src.Name(), dst.Name(), err)
		}
		if m == 0 {
			return n, nil
		}
		n += int64(m)
	}
}

// readLoop reads src to its end, writing each block to dst (if not nil) and
// w (if not nil).
func readLoop(ctx context.Context, dst, src *os.File, w io.Writer) (int64, error) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, fmt.Errorf("copy %s: %w", src.Name(), err)
		}
		m, rerr := src.Read(buf)
		if m > 0 {
			if dst != nil {
				if _, err := dst.Write(buf[:m]); err != nil {
					return n, fmt.Errorf("copy to %s: %w", dst.Name(), err)
				}
			}
			if w != nil {
				if _, err := w.Write(buf[:m]); err != nil {
					return n, fmt.Errorf("copy %s: %w", src.Name(), err)
				}
			}
			n += int64(m)
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, fmt.Errorf("copy %s: %w", src.Name(), rerr)
		}
	}
}

// ReadAll reads f from its current offset to its end, writing every byte to
// w, with the same large pooled buffer Copy uses; it returns the number of
// bytes read. It is the hash-only half of Copy.
func ReadAll(ctx context.Context, f *os.File, w io.Writer) (int64, error) {
	return readLoop(ctx, nil, f, w)
}
