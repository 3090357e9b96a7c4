package transfer

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/clock"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/lockfile"
	"github.com/troveproject/trove/internal/objectstore"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

var errReset = errors.New("connection reset by peer")

func assertObject(t *testing.T, s *objectstore.Store, k key.Key, content string) {
	t.Helper()
	path, ok, err := s.Find(k)
	if err != nil || !ok {
		t.Fatalf("no object for %s: %v", k, err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != content {
		t.Fatalf("object holds %q, %v; want %q", got, err, content)
	}
	if _, err := os.Lstat(s.TmpPath(k)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("partial file left in %s", s.TmpPath(k))
	}
}

func assertGone(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s still exists (%v)", p, err)
		}
	}
}

func TestDownloadResumesAfterInterruption(t *testing.T) {
	e, s, _ := testEngine(t, Options{ForwardRetry: 5})
	rm := newFakeRemote(t)
	content := strings.Repeat("0123456789", 100)
	k := rm.put(t, content)
	rm.hook = func(ctx context.Context, n int, k key.Key, dst remote.Sink, m progress.Meter) (bool, error) {
		if n == 0 {
			if err := rm.send(k, dst, m, 400); err != nil {
				return true, err
			}
			return true, errReset
		}
		return false, nil
	}
	rec := newRecorder()
	if err := e.Download(context.Background(), rm, k, "a.txt", rec); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]int64{0, 400}, rm.seenOffsets()); d != "" {
		t.Errorf("offsets the remote was asked for (-want +got):\n%s", d)
	}
	assertObject(t, s, k, content)
	if got := rec.Snapshot(); got.Done != int64(len(content)) || got.Total != int64(len(content)) {
		t.Errorf("caller's meter: %+v, want every byte counted once", got)
	}
	// A present key is a no-op.
	if err := e.Download(context.Background(), rm, k, "a.txt", nil); err != nil {
		t.Fatal(err)
	}
	if n := len(rm.seenOffsets()); n != 2 {
		t.Errorf("present key retrieved again (%d retrieves)", n)
	}
}

func TestRetryBackoff(t *testing.T) {
	e, s, sl := testEngine(t, Options{Retry: 3, RetryDelay: 2 * time.Second, ForwardRetry: 5})
	rm := newFakeRemote(t)
	k := rm.put(t, "content")
	rm.hook = func(context.Context, int, key.Key, remote.Sink, progress.Meter) (bool, error) {
		return true, errReset
	}
	rec := newRecorder()
	err := e.Download(context.Background(), rm, k, "dir/a.txt", rec)
	if !errors.Is(err, errReset) {
		t.Fatalf("Download = %v, want the remote's error", err)
	}
	if want := "get dir/a.txt from fake: connection reset by peer"; err.Error() != want {
		t.Errorf("error text %q, want %q", err, want)
	}
	if n := len(rm.seenOffsets()); n != 4 {
		t.Errorf("%d attempts, want 1 + 3 retries", n)
	}
	if d := cmp.Diff([]time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second}, sl.slept()); d != "" {
		t.Errorf("delays (-want +got):\n%s", d)
	}
	wantNotes := []string{"Delaying 2s before retrying.", "Delaying 4s before retrying.", "Delaying 8s before retrying."}
	if d := cmp.Diff(wantNotes, rec.notes); d != "" {
		t.Errorf("notes (-want +got):\n%s", d)
	}
	if ok, _ := s.Has(k); ok {
		t.Error("object present after a failed download")
	}
	assertGone(t, InfoPath(e.opts.AnnexDir, Download, rm.u, k), LockPath(e.opts.AnnexDir, Download, rm.u, k))
	data, err := os.ReadFile(FailedPath(e.opts.AnnexDir, Download, rm.u, k))
	if err != nil {
		t.Fatalf("no failed-transfer record: %v", err)
	}
	if want := "1795219731.843278225s\ndir/a.txt\n"; string(data) != want {
		t.Errorf("failed record %q, want %q", data, want)
	}
	// A later success removes the failed record.
	rm.hook = nil
	if err := e.Download(context.Background(), rm, k, "dir/a.txt", nil); err != nil {
		t.Fatal(err)
	}
	assertGone(t, FailedPath(e.opts.AnnexDir, Download, rm.u, k))
}

func TestForwardRetryWithoutConfiguredRetries(t *testing.T) {
	e, s, sl := testEngine(t, Options{ForwardRetry: 2})
	rm := newFakeRemote(t)
	content := "0123456789"
	k := rm.put(t, content)
	// Each attempt makes 2 bytes of progress and fails.
	rm.hook = func(ctx context.Context, n int, k key.Key, dst remote.Sink, m progress.Meter) (bool, error) {
		if err := rm.send(k, dst, m, dst.Offset()+2); err != nil {
			return true, err
		}
		return true, errReset
	}
	if err := e.Download(context.Background(), rm, k, "", nil); !errors.Is(err, errReset) {
		t.Fatalf("Download = %v", err)
	}
	if d := cmp.Diff([]int64{0, 2, 4}, rm.seenOffsets()); d != "" {
		t.Errorf("offsets (-want +got):\n%s", d)
	}
	if len(sl.slept()) != 0 {
		t.Errorf("forward retries waited: %v", sl.slept())
	}
	if ok, _ := s.Has(k); ok {
		t.Error("object present")
	}
}

func TestNotRetryable(t *testing.T) {
	e, _, sl := testEngine(t, Options{Retry: 5, ForwardRetry: 5})
	rm := newFakeRemote(t)
	k := sha256Key("nowhere")
	err := e.Download(context.Background(), rm, k, "", nil)
	if !errors.Is(err, remote.ErrNotPresent) {
		t.Fatalf("Download = %v", err)
	}
	if !strings.HasPrefix(err.Error(), "get "+k.String()+" from fake: ") {
		t.Errorf("error %q does not name the key and remote", err)
	}
	if n := len(rm.seenOffsets()); n != 1 || len(sl.slept()) != 0 {
		t.Errorf("%d attempts, slept %v; want one attempt and no delay", n, sl.slept())
	}
}

func TestBadContentRejected(t *testing.T) {
	e, s, _ := testEngine(t, Options{Retry: 3})
	rm := newFakeRemote(t)
	k := sha256Key("the real content")
	if err := os.WriteFile(rm.path(k), []byte("the fake content"), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	err := e.Download(context.Background(), rm, k, "a.txt", rec)
	if !errors.Is(err, ErrVerification) || !errors.Is(err, objectstore.ErrBadContent) {
		t.Fatalf("Download = %v, want a verification failure", err)
	}
	if !strings.Contains(err.Error(), "get a.txt from fake: verification of content failed") {
		t.Errorf("error text %q", err)
	}
	if n := len(rm.seenOffsets()); n != 2 {
		t.Errorf("%d attempts, want 2 (one retry after a verification failure)", n)
	}
	if ok, _ := s.Has(k); ok {
		t.Error("bad content stored")
	}
	assertGone(t, s.TmpPath(k), s.ObjectPath(k))
	if !contains(rec.warns, "Verification of content failed") {
		t.Errorf("warnings %q lack git-annex's", rec.warns)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestStallDetectedAndRetried(t *testing.T) {
	sd, err := ParseStallDetection("100B/30s")
	if err != nil {
		t.Fatal(err)
	}
	e, s, sl := testEngine(t, Options{Stall: sd, ForwardRetry: 5})
	sl.gate = make(chan struct{})
	rm := newFakeRemote(t)
	content := strings.Repeat("x", 1000)
	k := rm.put(t, content)
	rm.hook = func(ctx context.Context, n int, k key.Key, dst remote.Sink, m progress.Meter) (bool, error) {
		if n > 0 {
			return false, nil // the retry does not stall; its watcher waits for a tick that never comes
		}
		if err := rm.send(k, dst, m, 10); err != nil {
			return true, err
		}
		// Stalled: time passes (the watcher's sleeps end) until the
		// engine cancels this attempt.
		for {
			select {
			case sl.gate <- struct{}{}:
			case <-ctx.Done():
				return true, ctx.Err()
			}
		}
	}
	if err := e.Download(context.Background(), rm, k, "a.txt", nil); err != nil {
		t.Fatalf("Download = %v", err)
	}
	if d := cmp.Diff([]int64{0, 10}, rm.seenOffsets()); d != "" {
		t.Errorf("offsets (-want +got):\n%s", d)
	}
	// One wait for the first progress; since that took a whole period
	// (more than a third of it), the rate is scaled up three times, as
	// git-annex does: then one 90s period without enough progress.
	if d := cmp.Diff([]time.Duration{30 * time.Second, 90 * time.Second}, sl.slept()); d != "" {
		t.Errorf("stall checks (-want +got):\n%s", d)
	}
	assertObject(t, s, k, content)
}

func TestCancelledNotRetried(t *testing.T) {
	e, _, sl := testEngine(t, Options{Retry: 3, ForwardRetry: 3, Stall: StallDetection{Mode: StallProbe}})
	sl.gate = make(chan struct{})
	rm := newFakeRemote(t)
	k := rm.put(t, strings.Repeat("x", 100))
	// The probe never sees progress, so it never declares a stall; the
	// caller's cancellation ends the transfer.
	ctx, cancel := context.WithCancel(context.Background())
	rm.hook = func(actx context.Context, n int, k key.Key, dst remote.Sink, m progress.Meter) (bool, error) {
		cancel()
		<-actx.Done()
		return true, actx.Err()
	}
	if err := e.Download(ctx, rm, k, "", nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Download = %v, want cancellation", err)
	}
	if n := len(rm.seenOffsets()); n != 1 {
		t.Errorf("a cancelled transfer was retried (%d attempts)", n)
	}
}

func TestWatchProbe(t *testing.T) {
	var moved int64
	sl := &fakeSleep{clk: clock.NewFake(startTime)}
	sl.extra = func(n int) {
		if n <= 5 {
			moved++
		}
	}
	stalled := false
	StallDetection{Mode: StallProbe}.watch(context.Background(), sl.sleep, sl.clk, func() int64 { return moved }, 0, func() { stalled = true })
	if !stalled {
		t.Fatal("no stall detected")
	}
	s, m := 30*time.Second, time.Minute
	if d := cmp.Diff([]time.Duration{s, s, s, m, m, m}, sl.slept()); d != "" {
		t.Errorf("checks (-want +got):\n%s", d)
	}
}

func TestWatchRateUpscales(t *testing.T) {
	var moved int64
	sl := &fakeSleep{clk: clock.NewFake(startTime)}
	// The first progress arrives after three 30s waits (90s > 30s/3), so
	// the rate is scaled by 90/30*3 = 9: 9000 bytes per 270s.
	sl.extra = func(n int) {
		switch n {
		case 3:
			moved = 1
		case 4:
			moved += 9000
		case 5:
			moved += 8999
		}
	}
	stalled := false
	StallDetection{Mode: StallRate, MinBytes: 1000, Period: 30 * time.Second}.watch(context.Background(), sl.sleep, sl.clk, func() int64 { return moved }, 0, func() { stalled = true })
	if !stalled {
		t.Fatal("no stall detected")
	}
	s := 30 * time.Second
	if d := cmp.Diff([]time.Duration{s, s, s, 270 * time.Second, 270 * time.Second}, sl.slept()); d != "" {
		t.Errorf("checks (-want +got):\n%s", d)
	}
}

func TestRecordFilesDuringAndAfter(t *testing.T) {
	e, s, _ := testEngine(t, Options{})
	rm := newFakeRemote(t)
	rm.cost = remote.ExpensiveCost // a small key from a local remote is quiet
	content := strings.Repeat("y", 200)
	k := rm.put(t, content)
	info, lck := InfoPath(e.opts.AnnexDir, Download, rm.u, k), LockPath(e.opts.AnnexDir, Download, rm.u, k)
	rm.hook = func(ctx context.Context, n int, k key.Key, dst remote.Sink, m progress.Meter) (bool, error) {
		data, err := os.ReadFile(info)
		if err != nil {
			t.Errorf("no transfer info during the transfer: %v", err)
		} else if want := "1795219731.843278225s\nsub/b.txt\n"; string(data) != want {
			t.Errorf("transfer info %q, want %q", data, want)
		}
		l, err := lockfile.Open(lck, 0o644)
		if err != nil {
			t.Errorf("no transfer lock: %v", err)
			return false, nil
		}
		defer l.Close()
		if err := l.TryShared(); !errors.Is(err, lockfile.ErrLocked) {
			t.Errorf("transfer lock not held: %v", err)
		}
		if err := rm.send(k, dst, m, 100); err != nil {
			return true, err
		}
		data, _ = os.ReadFile(info)
		if want := "1795219731.843278225s 100\nsub/b.txt\n"; string(data) != want {
			t.Errorf("transfer info after progress %q, want %q", data, want)
		}
		return false, nil
	}
	if err := e.Download(context.Background(), rm, k, "sub/b.txt", nil); err != nil {
		t.Fatal(err)
	}
	assertObject(t, s, k, content)
	assertGone(t, info, lck, FailedPath(e.opts.AnnexDir, Download, rm.u, k))
}

// A small key from a local remote gets the transfer lock but no
// information file; from a costlier remote, or a big key, it gets both.
func TestQuietRecordForSmallLocalTransfers(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cost     float64
		size     int
		wantInfo bool
	}{
		{"small local", remote.CheapCost, 200, false},
		{"small network", remote.ExpensiveCost, 200, true},
		{"big local", remote.CheapCost, quietSize, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, s, _ := testEngine(t, Options{})
			rm := newFakeRemote(t)
			rm.cost = tc.cost
			content := strings.Repeat("q", tc.size)
			k := rm.put(t, content)
			info, lck := InfoPath(e.opts.AnnexDir, Download, rm.u, k), LockPath(e.opts.AnnexDir, Download, rm.u, k)
			rm.hook = func(ctx context.Context, n int, k key.Key, dst remote.Sink, m progress.Meter) (bool, error) {
				_, err := os.Stat(info)
				if got := err == nil; got != tc.wantInfo {
					t.Errorf("information file during the transfer: %v, want %v", got, tc.wantInfo)
				}
				l, err := lockfile.Open(lck, 0o644)
				if err != nil {
					t.Errorf("no transfer lock: %v", err)
					return false, nil
				}
				defer l.Close()
				if err := l.TryShared(); !errors.Is(err, lockfile.ErrLocked) {
					t.Errorf("transfer lock not held: %v", err)
				}
				return false, nil
			}
			if err := e.Download(context.Background(), rm, k, "f", nil); err != nil {
				t.Fatal(err)
			}
			assertObject(t, s, k, content)
			assertGone(t, info, lck)
		})
	}
}

func TestConcurrentDownloadsOfOneKey(t *testing.T) {
	e, s, _ := testEngine(t, Options{})
	rm := newFakeRemote(t)
	content := strings.Repeat("z", 5000)
	k := rm.put(t, content)
	inside, release := make(chan struct{}), make(chan struct{})
	rm.hook = func(ctx context.Context, n int, k key.Key, dst remote.Sink, m progress.Meter) (bool, error) {
		if n == 0 {
			if err := rm.send(k, dst, m, 2000); err != nil {
				return true, err
			}
			close(inside)
			<-release
		}
		return false, nil
	}
	first := make(chan error)
	go func() { first <- e.Download(context.Background(), rm, k, "a", nil) }()
	<-inside
	err := e.Download(context.Background(), rm, k, "a", nil)
	if !errors.Is(err, ErrInProgress) {
		t.Errorf("second Download = %v, want ErrInProgress", err)
	}
	if want := "get a from fake: transfer already in progress, or unable to take transfer lock"; err == nil || err.Error() != want {
		t.Errorf("error text %v, want %q", err, want)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	assertObject(t, s, k, content)
}

func TestUpload(t *testing.T) {
	e, s, _ := testEngine(t, Options{})
	rm := newFakeRemote(t)
	content := "uploaded content"
	k := sha256Key(content)
	if err := s.IngestKnown(context.Background(), k, strings.NewReader(content)); err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	if err := e.Upload(context.Background(), rm, k, "u.txt", rec); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(rm.path(k))
	if err != nil || string(got) != content {
		t.Fatalf("remote holds %q, %v", got, err)
	}
	if rec.Snapshot().Done != int64(len(content)) {
		t.Errorf("progress %+v", rec.Snapshot())
	}
	assertGone(t, InfoPath(e.opts.AnnexDir, Upload, rm.u, k), LockPath(e.opts.AnnexDir, Upload, rm.u, k))

	missing := sha256Key("not here")
	err = e.Upload(context.Background(), rm, missing, "m.txt", nil)
	if !errors.Is(err, objectstore.ErrNotPresent) || !strings.HasPrefix(err.Error(), "copy m.txt to fake: ") {
		t.Errorf("Upload of missing content = %v", err)
	}
}

func TestDeferSync(t *testing.T) {
	e, s, _ := testEngine(t, Options{DeferSync: true})
	rm := newFakeRemote(t)
	k := rm.put(t, "deferred")
	if err := e.Download(context.Background(), rm, k, "", nil); err != nil {
		t.Fatal(err)
	}
	assertObject(t, s, k, "deferred")
	if !e.pending.Load() {
		t.Error("nothing pending after a deferred commit")
	}
	if err := e.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if e.pending.Load() {
		t.Error("still pending after Sync")
	}
}
