package transfer

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/uuid"
)

// freeSpace is what statfs says is free on the file system holding dir.
func freeSpace(t *testing.T, dir string) int64 {
	t.Helper()
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	return int64(st.Bavail) * st.Bsize
}

func sizedKey(t *testing.T, size int64, name string) key.Key {
	t.Helper()
	k, err := key.Parse("SHA256E-s" + strconv.FormatInt(size, 10) + "--" + strings.Repeat(name, 64)[:64])
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestSpaceCheckReserve checks git-annex's arithmetic: the key's size
// plus the reserve must fit in the free space, less what a partial
// download already wrote, and the refusal says how much more is needed.
func TestSpaceCheckReserve(t *testing.T) {
	dir := t.TempDir()
	free := freeSpace(t, dir)
	k := sizedKey(t, 1000, "a")
	c := &spaceCheck{annexDir: dir, reserve: 0, now: time.Now}
	if err := c.check(k, 0); err != nil {
		t.Fatalf("1000 bytes with no reserve: %v", err)
	}
	c.reserve = free + 1<<40 // far more than any change of free space while the test runs
	err := c.check(k, 0)
	var ns *NoSpaceError
	if !errors.As(err, &ns) || !errors.Is(err, ErrNoSpace) {
		t.Fatalf("check with a reserve beyond the free space = %v, want a *NoSpaceError", err)
	}
	if ns.Need < 1<<40 || ns.Need > 1<<40+free+1000 {
		t.Errorf("need %d more, want about 1 TiB plus the key", ns.Need)
	}
	if !strings.Contains(err.Error(), "need ") || !strings.HasSuffix(err.Error(), " more (use --force to override this check or adjust annex.diskreserve)") {
		t.Errorf("message %q is not git-annex's", err)
	}
	// What a partial download already wrote need not fit again.
	c.reserve = free - 500_000 // about half a megabyte to spare
	big := sizedKey(t, 1_000_000, "b")
	if err := c.check(big, 0); err == nil {
		t.Errorf("a megabyte into half a megabyte passed")
	}
	if err := c.check(big, 999_000); err != nil {
		t.Errorf("the last kilobyte of a resumed download refused: %v", err)
	}
}

// TestSpaceCheckCountsRunningDownloads checks that the downloads whose
// transfer lock is held count with what they have still to write, that
// stale information files (no lock held) and the key itself do not, and
// that the scan is reused within scanTTL.
func TestSpaceCheckCountsRunningDownloads(t *testing.T) {
	annexDir := t.TempDir()
	u := uuid.UUID("11111111-1111-1111-1111-111111111111")
	now := time.Unix(1700000000, 0)
	running := sizedKey(t, 5_000_000, "c")
	rec, err := Begin(annexDir, Download, u, running, "c.bin", now, 0)
	if err != nil {
		t.Fatal(err)
	}
	rec.Progress(2_000_000)
	stale := sizedKey(t, 7_000_000, "d")
	if err := os.WriteFile(InfoPath(annexDir, Download, u, stale), []byte("1700000000s\nd.bin\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	c := &spaceCheck{annexDir: annexDir, now: func() time.Time { return now }}
	if got := c.othersRemaining(sizedKey(t, 1, "e")); got != 3_000_000 {
		t.Errorf("other downloads have %d bytes to come, want 3000000 (the running one's rest)", got)
	}
	if got := c.othersRemaining(running); got != 0 {
		t.Errorf("the key's own download counted: %d", got)
	}
	if err := rec.End(true); err != nil {
		t.Fatal(err)
	}
	if got := c.othersRemaining(sizedKey(t, 1, "e")); got != 3_000_000 {
		t.Errorf("within scanTTL the scan was redone: %d", got)
	}
	now = now.Add(scanTTL)
	if got := c.othersRemaining(sizedKey(t, 1, "e")); got != 0 {
		t.Errorf("after the download ended, %d bytes still counted", got)
	}
}
