package transfer

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/objectstore"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// helperEnv makes the test binary act as a second process downloading a
// key: it sends half the content, says "inside", and hangs until killed.
const helperEnv = "TROVE_TRANSFER_HELPER"

var processContent = strings.Repeat("content of a big file\n", 1000)

func TestMain(m *testing.M) {
	if dirs := os.Getenv(helperEnv); dirs != "" {
		annex, remoteDir, _ := strings.Cut(dirs, "\n")
		os.Exit(helperDownload(annex, remoteDir))
	}
	os.Exit(m.Run())
}

func helperDownload(annex, remoteDir string) int {
	s := objectstore.Open(annex, objectstore.Options{})
	e := New(s, Options{AnnexDir: annex, Stall: StallDetection{Mode: StallOff}})
	rm := &fakeRemote{name: "fake", u: "11111111-2222-3333-4444-555555555555", dir: remoteDir}
	rm.hook = func(ctx context.Context, n int, k key.Key, dst remote.Sink, m progress.Meter) (bool, error) {
		if err := rm.send(k, dst, m, int64(len(processContent)/2)); err != nil {
			return true, err
		}
		fmt.Println("inside")
		select {} // killed here
	}
	if err := e.Download(context.Background(), rm, sha256Key(processContent), "big.txt", nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// TestKilledDownloadResumes: a second process holding the transfer makes
// ours fail with ErrInProgress; once it is killed (SIGKILL, mid-transfer)
// there is no object, and the next Download resumes from what it wrote.
func TestKilledDownloadResumes(t *testing.T) {
	e, s, _ := testEngine(t, Options{})
	rm := newFakeRemote(t)
	k := rm.put(t, processContent)
	half := int64(len(processContent) / 2)

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+e.opts.AnnexDir+"\n"+rm.dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "inside\n" {
		t.Fatalf("helper said %q, %v", line, err)
	}

	if err := e.Download(context.Background(), rm, k, "big.txt", nil); !errors.Is(err, ErrInProgress) {
		t.Fatalf("Download while another process transfers = %v, want ErrInProgress", err)
	}
	if n := len(rm.seenOffsets()); n != 0 {
		t.Fatalf("the remote was asked %d times while the transfer was locked", n)
	}

	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	killed = true
	if ok, _ := s.Has(k); ok {
		t.Fatal("object present after the download was killed")
	}
	if fi, err := os.Stat(s.TmpPath(k)); err != nil || fi.Size() != half {
		t.Fatalf("partial file after the kill: %v, %v; want %d bytes", fi, err, half)
	}

	if err := e.Download(context.Background(), rm, k, "big.txt", nil); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]int64{half}, rm.seenOffsets()); d != "" {
		t.Errorf("offsets the remote was asked for (-want +got):\n%s", d)
	}
	assertObject(t, s, k, processContent)
	assertGone(t, InfoPath(e.opts.AnnexDir, Download, rm.u, k), LockPath(e.opts.AnnexDir, Download, rm.u, k))
	if _, err := os.Stat(filepath.Join(e.opts.AnnexDir, "transfer", "failed")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed-transfer record was left: %v", err)
	}
}
