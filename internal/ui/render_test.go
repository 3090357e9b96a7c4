package ui

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/clock"
	"github.com/troveproject/trove/internal/progress"
)

// TestHumanMeter checks the meter's shape against the git-annex capture
// "get big (from origin...) \n\r100%  2.93 KiB          1 MiB/s 0s\r<34 spaces>\rok\n".
func TestHumanMeter(t *testing.T) {
	clk := clock.NewFake(time.Unix(1700000000, 0))
	var stdout, stderr bytes.Buffer
	o := NewOutput(NewAnnexHuman(&stdout, &stderr, false, clk), clk)
	task := o.Begin(Action{Command: "get", File: "big", Input: []string{"big"}})
	task.Note("from origin...")
	task.SetTotal(3000)
	clk.Advance(2800 * time.Microsecond)
	task.Add(3000)
	task.End(true, nil)
	o.SideAction("recording state in git")
	must(t, o.Close())
	want := "get big (from origin...) \n\r100%  2.93 KiB          1 MiB/s 0s\r" + strings.Repeat(" ", 34) + "\rok\n(recording state in git...)\n"
	if diff := cmp.Diff(want, stdout.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestMeterLine(t *testing.T) {
	// Shapes captured from git annex add: "100%  1 B               5 KiB/s 0s".
	for _, tc := range []struct {
		done, total int64
		elapsed     time.Duration
		want        string
	}{
		{1, 1, 200 * time.Microsecond, "100%  1 B               5 KiB/s 0s"},
		{1, 1, 92 * time.Microsecond, "100%  1 B              11 KiB/s 0s"},
		{512, 2048, time.Second, " 25%  512 B             512 B/s 3s"},
		{5 << 20, -1, 0, "5 MiB"},
	} {
		if got := meterLine(progressSnapshot(tc.done, tc.total), tc.elapsed); got != tc.want {
			t.Errorf("meterLine(%d/%d, %v) = %q, want %q", tc.done, tc.total, tc.elapsed, got, tc.want)
		}
	}
}

func TestConcurrentTasksDoNotInterleave(t *testing.T) {
	var stdout, stderr bytes.Buffer
	o := NewOutput(NewAnnexHuman(&stdout, &stderr, false, nil), nil)
	first := o.Begin(Action{Command: "get", File: "a"})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			task := o.Begin(Action{Command: "get", File: fmt.Sprintf("f%02d", i)})
			for range 100 {
				task.Add(10)
			}
			task.Note("from origin...")
			task.End(i%5 != 0, nil)
		}()
	}
	wg.Wait()
	first.End(true, nil)
	must(t, o.Close())
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	if len(lines) != 21 || lines[0] != "get a ok" {
		t.Fatalf("got %d lines, first %q:\n%s", len(lines), lines[0], stdout.String())
	}
	for _, l := range lines[1:] {
		var n int
		var word string
		if _, err := fmt.Sscanf(l, "get f%02d (from origin...) %s", &n, &word); err != nil {
			t.Errorf("mangled line %q: %v", l, err)
		}
		if want := map[bool]string{true: "ok", false: "failed"}[n%5 != 0]; word != want {
			t.Errorf("line %q: want %s", l, want)
		}
	}
	if want := "get: 4 failed\n"; stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
	if o.Failed() != 4 {
		t.Errorf("Failed() = %d, want 4", o.Failed())
	}
}

func TestRecords(t *testing.T) {
	rec := Record{Fields: Object{"file": "./new.txt", "status": "?"}, Human: "? new.txt"}
	var stdout, stderr bytes.Buffer
	o := NewOutput(NewAnnexJSON(&stdout, &stderr, false, false), nil)
	o.Record(rec)
	o.Info("stored SHA256E-s4--x")
	o.SideAction("recording state in git")
	must(t, o.Close())
	// Shapes captured from `git annex status --json` and an external remote's INFO.
	want := `{"error-messages":[],"file":"./new.txt","status":"?"}` + "\n" + `{"info":"stored SHA256E-s4--x"}` + "\n"
	if diff := cmp.Diff(want, stdout.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestTroveLines(t *testing.T) {
	var stdout, stderr bytes.Buffer
	o := NewOutput(NewTrove(&stdout, &stderr, TroveOptions{}), nil)
	ok := o.Begin(Action{Command: "get", File: "photos/a.jpg"})
	ok.Note("from nas...")
	ok.Add(100)
	ok.End(true, nil)
	bad := o.Begin(Action{Command: "drop", File: "b.dat"})
	bad.Warn("remote nas is unreachable")
	bad.Note("unsafe")
	bad.AddNote(Note{Text: "Could only verify 0 of 1 copies", Long: true})
	bad.End(false, nil)
	must(t, o.Close())
	if want := "ok     get photos/a.jpg (from nas)\n"; stdout.String() != want {
		t.Errorf("stdout %q, want %q", stdout.String(), want)
	}
	want := "warning: b.dat: remote nas is unreachable\nfailed drop b.dat (unsafe)\n  Could only verify 0 of 1 copies\n1 failed (drop 1)\n"
	if diff := cmp.Diff(want, stderr.String()); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
}

func TestTroveLiveLine(t *testing.T) {
	clk := clock.NewFake(time.Unix(1700000000, 0))
	var stdout, stderr bytes.Buffer
	o := NewOutput(NewTrove(&stdout, &stderr, TroveOptions{Live: true, Clock: clk}), clk)
	a := o.Begin(Action{Command: "get", File: "a"})
	b := o.Begin(Action{Command: "get", File: "b"})
	a.SetTotal(4 << 20)
	b.SetTotal(4 << 20)
	clk.Advance(2 * time.Second)
	a.Add(2 << 20) // first update of a task is always drawn
	clk.Advance(100 * time.Millisecond)
	b.Add(1 << 20) // throttled: within 200ms of the last draw
	must(t, o.Close())
	want := "\r\x1b[K2 in flight  2 MiB / 8 MiB  1 MiB/s  ETA 6s\r\x1b[K"
	if diff := cmp.Diff(want, stderr.String()); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
}

func TestQuiet(t *testing.T) {
	var stdout, stderr bytes.Buffer
	o := NewOutput(NewTrove(&stdout, &stderr, TroveOptions{Quiet: true}), nil)
	o.Begin(Action{Command: "get", File: "a"}).End(true, nil)
	o.Begin(Action{Command: "get", File: "b"}).End(false, nil)
	must(t, o.Close())
	if stdout.Len() != 0 {
		t.Errorf("quiet wrote %q to stdout", stdout.String())
	}
	if want := "failed get b\n1 failed (get 1)\n"; stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
}

func progressSnapshot(done, total int64) progress.Snapshot {
	return progress.Snapshot{Done: done, Total: total}
}

func TestIsTerminalOnNonTerminals(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(&bytes.Buffer{}) || IsTerminal(f) {
		t.Error("a buffer or a regular file counted as a terminal")
	}
}
