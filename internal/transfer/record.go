package transfer

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/troveproject/trove/internal/clock"
	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/lockfile"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/uuid"
)

// Direction says which way content moves, as seen from the repository
// keeping the transfer record.
type Direction int

const (
	// Download brings content from a remote into the repository.
	Download Direction = iota
	// Upload sends the repository's content to a remote.
	Upload
)

// String returns the directory name git-annex uses: "download", "upload".
func (d Direction) String() string {
	if d == Upload {
		return "upload"
	}
	return "download"
}

// Info is the content of a transfer information file.
type Info struct {
	Started  time.Time // when the transfer started; zero when not recorded
	Bytes    int64     // bytes complete, meaningful when HasBytes
	HasBytes bool
	File     string // the associated work-tree file, or ""
}

// Format renders the info as git-annex's writeTransferInfo does: the start
// time as a POSIX time with a trailing 's' and, when known, a space and
// the bytes complete; a newline; the file; a newline.
func (i Info) Format() []byte {
	var b bytes.Buffer
	if !i.Started.IsZero() {
		b.WriteString(logs.FromTime(i.Started).String())
	}
	if i.HasBytes {
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(i.Bytes, 10))
	}
	b.WriteByte('\n')
	b.WriteString(i.File)
	b.WriteByte('\n')
	return b.Bytes()
}

// ParseInfo reads a transfer information file as git-annex's
// readTransferInfo does. A first line whose time or byte count does not
// parse is an error; the file is everything after the first newline, less
// one trailing newline.
func ParseInfo(data []byte) (Info, error) {
	s := string(data)
	first, rest, _ := strings.Cut(s, "\n")
	rest = strings.TrimSuffix(rest, "\n")
	var info Info
	info.File = rest
	if first == "" {
		return info, nil
	}
	fields := strings.Split(first, " ")
	t, ok := clock.ParsePOSIX(fields[0])
	if !ok {
		return Info{}, fmt.Errorf("transfer info: bad start time %q", fields[0])
	}
	info.Started = t
	if len(fields) > 1 {
		n, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			return Info{}, fmt.Errorf("transfer info: bad byte count %q", fields[1])
		}
		info.Bytes, info.HasBytes = n, true
	}
	return info, nil
}

// InfoPath returns where git-annex keeps the information file of a running
// transfer: <annexDir>/transfer/<direction>/<uuid>/<keyfile>.
func InfoPath(annexDir string, d Direction, u uuid.UUID, k key.Key) string {
	return filepath.Join(annexDir, "transfer", d.String(), uuidDir(u), k.File())
}

// LockPath returns the transfer lock file: lck.<keyfile> beside InfoPath.
func LockPath(annexDir string, d Direction, u uuid.UUID, k key.Key) string {
	return filepath.Join(annexDir, "transfer", d.String(), uuidDir(u), "lck."+k.File())
}

// FailedPath returns where a failed transfer's information is left:
// <annexDir>/transfer/failed/<direction>/<uuid>/<keyfile>.
func FailedPath(annexDir string, d Direction, u uuid.UUID, k key.Key) string {
	return filepath.Join(annexDir, "transfer", "failed", d.String(), uuidDir(u), k.File())
}

// uuidDir is the UUID with any '/' removed, as git-annex names the
// directory.
func uuidDir(u uuid.UUID) string { return strings.ReplaceAll(string(u), "/", "") }

// Record is a running transfer's lock and information file. Begin takes
// it; End releases it. Progress may be called from any goroutine.
type Record struct {
	annexDir string
	dir      Direction
	u        uuid.UUID
	k        key.Key
	shared   fsutil.Shared
	lock     *lockfile.File
	infoPath string
	quiet    bool // no information file (BeginQuiet)

	mu       sync.Mutex
	info     Info
	minDelta int64
}

// Begin takes the transfer lock for k in direction d with the repository
// u (the remote's UUID for our own transfers) and writes the information
// file, as git-annex's runTransfer does. It fails without waiting, with an
// error wrapping ErrInProgress, when the lock is held by anyone else
// (another goroutine, another Trove, git-annex). The caller must call End.
func Begin(annexDir string, d Direction, u uuid.UUID, k key.Key, file string, started time.Time, shared fsutil.Shared) (*Record, error) {
	return begin(annexDir, d, u, k, file, started, shared, false)
}

// BeginQuiet is Begin without the information file: for a transfer that
// ends within milliseconds (a small key from a local remote), which no
// observer could see, the lock alone does the work, at one file creation
// and removal less.
func BeginQuiet(annexDir string, d Direction, u uuid.UUID, k key.Key, file string, started time.Time, shared fsutil.Shared) (*Record, error) {
	return begin(annexDir, d, u, k, file, started, shared, true)
}

func begin(annexDir string, d Direction, u uuid.UUID, k key.Key, file string, started time.Time, shared fsutil.Shared, quiet bool) (*Record, error) {
	lckPath := LockPath(annexDir, d, u, k)
	dir := filepath.Dir(lckPath)
	l, err := lockfile.Open(lckPath, 0o666)
	if errors.Is(err, fs.ErrNotExist) {
		if err = fsutil.MkdirAll(dir, shared); err == nil {
			l, err = lockfile.Open(lckPath, 0o666)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("transfer lock %s: %w", lckPath, err)
	}
	if err := l.TryExclusive(); err != nil {
		l.Close()
		if errors.Is(err, lockfile.ErrLocked) {
			return nil, ErrInProgress
		}
		return nil, fmt.Errorf("transfer lock %s: %w", lckPath, err)
	}
	// The holder before us removes the lock file when done: a lock on a
	// removed file excludes nobody.
	if same, err := l.SameFile(); err != nil || !same {
		l.Close()
		if err != nil {
			return nil, err
		}
		return nil, ErrInProgress
	}
	r := &Record{
		annexDir: annexDir, dir: d, u: u, k: k, shared: shared, lock: l,
		infoPath: InfoPath(annexDir, d, u, k),
		info:     Info{Started: started, File: file},
		minDelta: 100 * 1024,
		quiet:    quiet,
	}
	if k.HasSize {
		r.minDelta = k.Size / 100
	}
	if quiet {
		return r, nil
	}
	if err := writeFile(r.infoPath, r.info.Format()); err != nil {
		r.release()
		return nil, fmt.Errorf("transfer info %s: %w", r.infoPath, err)
	}
	return r, nil
}

// Progress records that bytes of the content are complete. The
// information file is rewritten when the count moved by at least 1% of
// the key's size (100 KiB for keys without a size), as git-annex does;
// failures to write it are ignored, as there. The count that completes
// the content is not written: End removes the file next.
func (r *Record) Progress(bytes int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	last := int64(0)
	if r.info.HasBytes {
		last = r.info.Bytes
	}
	if r.quiet || bytes-last < max(r.minDelta, 1) || (r.k.HasSize && bytes >= r.k.Size) {
		// A complete transfer is about to End, which removes the file.
		return
	}
	r.info.Bytes, r.info.HasBytes = bytes, true
	_ = writeFile(r.infoPath, r.info.Format())
}

// End removes the information and lock files and releases the lock. A
// failed transfer (ok false) leaves its information under
// transfer/failed/; a successful one removes any left there by an earlier
// failure. Calling End twice is harmless.
func (r *Record) End(ok bool) error {
	r.mu.Lock()
	info := r.info
	r.mu.Unlock()
	if r.lock == nil {
		return nil
	}
	if !r.quiet {
		os.Remove(r.infoPath)
	}
	r.release()
	failed := FailedPath(r.annexDir, r.dir, r.u, r.k)
	if ok {
		// unix.Unlink, not os.Remove: no rmdir attempt after ENOENT.
		if err := unix.Unlink(failed); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("transfer: remove %s: %w", failed, err)
		}
		return nil
	}
	dir := filepath.Dir(failed)
	if err := fsutil.MkdirAll(dir, r.shared); err != nil {
		return fmt.Errorf("transfer: record failure: %w", err)
	}
	if err := writeFile(failed, info.Format()); err != nil {
		return fmt.Errorf("transfer: record failure in %s: %w", failed, err)
	}
	return nil
}

// release removes the lock file, then drops the lock, in git-annex's order.
func (r *Record) release() {
	os.Remove(r.lock.Path())
	r.lock.Close()
	r.lock = nil
}

// writeFile writes data to path (created with mode 0666 before the umask,
// or truncated), as os.WriteFile does in fewer system calls.
func writeFile(path string, data []byte) error {
	f, err := fsutil.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
