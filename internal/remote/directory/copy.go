package directory

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// rangeStep is how much one copy_file_range call copies, so that progress
// and cancellation are seen between steps.
const rangeStep = 8 << 20

// copySource writes src's bytes to a new file at dst (fsynced when fsync
// is set), with copy_file_range where the file systems allow and a read
// loop otherwise.
func copySource(ctx context.Context, dst string, src remote.Source, m progress.Meter, fsync bool) error {
	in, err := os.Open(src.Path)
	if err != nil {
		return err
	}
	defer in.Close()
	size := src.Size
	if size < 0 {
		fi, err := in.Stat()
		if err != nil {
			return err
		}
		size = fi.Size() - src.Offset
	}
	m.SetTotal(size)
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return err
	}
	defer out.Close()
	done, err := copyRange(ctx, out, in, src.Offset, size, m)
	if err != nil {
		return err
	}
	if done < size {
		if _, err := in.Seek(src.Offset+done, io.SeekStart); err != nil {
			return err
		}
		if err := copyStream(ctx, out, io.LimitReader(in, size-done), m); err != nil {
			return err
		}
	}
	if fsync {
		if err := out.Sync(); err != nil {
			return err
		}
	}
	return out.Close()
}

// copyRange copies up to n bytes from in at off with copy_file_range and
// returns how many it copied; it stops early, without error, when the
// kernel refuses the call, leaving the rest to the caller.
func copyRange(ctx context.Context, out, in *os.File, off, n int64, m progress.Meter) (int64, error) {
	var done int64
	for done < n {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		pos := off + done
		c, err := unix.CopyFileRange(int(in.Fd()), &pos, int(out.Fd()), nil, int(min(n-done, rangeStep)), 0)
		switch {
		case errors.Is(err, unix.EINTR):
			continue
		case err != nil && done == 0:
			return 0, nil // EXDEV, ENOSYS, EINVAL...: fall back to reading
		case err != nil:
			return done, fmt.Errorf("copy %s: %w", in.Name(), err)
		case c == 0:
			return done, fmt.Errorf("copy %s: %w", in.Name(), io.ErrUnexpectedEOF)
		}
		done += int64(c)
		m.Add(int64(c))
	}
	return done, nil
}

// copyStream copies r to w, reporting progress and stopping between
// reads once ctx is done (fsutil.CopyStream).
func copyStream(ctx context.Context, w io.Writer, r io.Reader, m progress.Meter) error {
	_, err := fsutil.CopyStream(ctx, w, progress.Reader{R: r, M: m})
	return err
}
