package transfer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/lockfile"
	"github.com/troveproject/trove/internal/units"
)

// ErrNoSpace is wrapped when a download would leave less free space than
// annex.diskreserve. The text is git-annex's (NoSpaceError adds how much
// more is needed).
var ErrNoSpace = errors.New("not enough free space")

// NoSpaceError is a download refused before it started because the file
// system holding the object store lacks Need more bytes to keep
// annex.diskreserve free. errors.Is(err, ErrNoSpace) holds.
type NoSpaceError struct {
	Need int64
}

func (e *NoSpaceError) Error() string {
	return fmt.Sprintf("not enough free space, need %s more (use --force to override this check or adjust annex.diskreserve)", units.HumanSize(e.Need))
}

// Is makes errors.Is(err, ErrNoSpace) true.
func (e *NoSpaceError) Is(target error) bool { return target == ErrNoSpace }

// scanTTL is how long the sum of the other running downloads is reused:
// reading every transfer information file before each of thousands of
// small downloads would cost more than the downloads.
const scanTTL = time.Second

// spaceCheck is git-annex's checkDiskSpace for downloads into the object
// store: the key's size, plus annex.diskreserve, plus what the other
// running downloads (of any process) have still to write, must fit in the
// free space, less what an interrupted download of the key already wrote.
type spaceCheck struct {
	annexDir string // the file system checked, and where transfer/ is
	reserve  int64
	now      func() time.Time

	mu      sync.Mutex
	scanned time.Time
	running map[string]int64 // key file name -> bytes still to download
}

// check returns a *NoSpaceError when downloading k, of which done bytes
// are already in its partial file, would eat into the reserve. A key of
// unknown size counts as one byte, as in git-annex. Free space that cannot
// be determined passes.
func (c *spaceCheck) check(k key.Key, done int64) error {
	need := int64(1)
	if k.HasSize {
		need = k.Size
	}
	// The other downloads first: free space only shrinks while they run,
	// so reading it second errs on the side of caution.
	others := c.othersRemaining(k)
	var st unix.Statfs_t
	if err := unix.Statfs(c.annexDir, &st); err != nil {
		return nil
	}
	have := int64(st.Bavail) * st.Bsize
	if delta := need + c.reserve - have - done + others; delta > 0 {
		return &NoSpaceError{Need: delta}
	}
	return nil
}

// othersRemaining returns the bytes the running downloads of keys other
// than k have still to write, from a scan at most scanTTL old.
func (c *spaceCheck) othersRemaining(k key.Key) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := c.now(); c.running == nil || now.Sub(c.scanned) >= scanTTL {
		c.running = runningDownloads(c.annexDir)
		c.scanned = now
	}
	var sum int64
	self := k.File()
	for name, n := range c.running {
		if name != self {
			sum += n
		}
	}
	return sum
}

// runningDownloads reads the information files of the downloads whose
// transfer lock someone holds (this process included), as git-annex's
// sizeOfDownloadsInProgress does, and returns for each key (by file name)
// the bytes still to come: its size less the bytes recorded complete. Keys
// without a size count nothing.
func runningDownloads(annexDir string) map[string]int64 {
	out := map[string]int64{}
	dir := filepath.Join(annexDir, "transfer", Download.String())
	uuids, err := os.ReadDir(dir)
	if err != nil {
		return out
	}
	for _, u := range uuids {
		ents, err := os.ReadDir(filepath.Join(dir, u.Name()))
		if err != nil {
			continue
		}
		for _, e := range ents {
			name := e.Name()
			if strings.HasPrefix(name, "lck.") {
				continue
			}
			k, err := key.FromFile(name)
			if err != nil || !k.HasSize || !lockHeld(filepath.Join(dir, u.Name(), "lck."+name)) {
				continue
			}
			remaining := k.Size
			if data, err := os.ReadFile(filepath.Join(dir, u.Name(), name)); err == nil {
				if info, err := ParseInfo(data); err == nil && info.HasBytes {
					remaining -= min(info.Bytes, k.Size)
				}
			}
			out[name] += remaining
		}
	}
	return out
}

// lockHeld reports whether anyone holds the lock file at path.
func lockHeld(path string) bool {
	l, err := lockfile.OpenExisting(path)
	if err != nil {
		return false
	}
	defer l.Close()
	held, err := l.Test()
	return err == nil && held
}
