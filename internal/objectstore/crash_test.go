package objectstore

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/key"
)

// crashHelperEnv makes the test binary ingest the files of a prepared work
// tree (see crashContent) and be killed by the parent test.
const crashHelperEnv = "TROVE_OBJECTSTORE_CRASH_HELPER"

const crashFiles = 24

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashHelperEnv); dir != "" {
		os.Exit(crashHelper(dir))
	}
	os.Exit(m.Run())
}

// crashContent is the content of file i: sizes from 1 KiB to ~3 MiB so that
// kills land in every phase.
func crashContent(i int) []byte { return crashContents()[i] }

var crashContents = sync.OnceValue(func() [][]byte {
	all := make([][]byte, crashFiles)
	for i := range all {
		all[i] = makeCrashContent(i)
	}
	return all
})

func makeCrashContent(i int) []byte {
	n := 1024 << (i % 12)
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(uint64(i), 7))
	for j := range b {
		b[j] = byte(r.Uint32())
	}
	return b
}

func crashHelper(dir string) int {
	s := Open(filepath.Join(dir, ".git/annex"), Options{})
	ctx := context.Background()
	fmt.Println("ready")
	for i := range crashFiles {
		src := filepath.Join(dir, "f"+strconv.Itoa(i))
		var err error
		switch i % 3 {
		case 0, 1:
			_, err = s.IngestMove(ctx, src, backend.Default(), "f.bin", 4)
		case 2:
			err = s.IngestKnown(ctx, sha256Key(string(crashContent(i)), ".bin"), bytes.NewReader(crashContent(i)))
		}
		if err != nil {
			fmt.Println("error", err)
			return 1
		}
	}
	fmt.Println("done")
	return 0
}

// TestCrashMidIngest kills a process ingesting files at random moments and
// checks that no object is corrupt and no content is lost.
func TestCrashMidIngest(t *testing.T) {
	iterations := 40
	if testing.Short() {
		iterations = 8
	}
	want := make([]key.Key, crashFiles)
	for i := range want {
		want[i] = sha256Key(string(crashContent(i)), ".bin")
	}
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	killed := 0
	defer func() { t.Logf("%d of %d runs killed mid-ingest", killed, iterations) }()
	for it := range iterations {
		dir := t.TempDir()
		for i := range crashFiles {
			if i%3 != 2 {
				writeFile(t, filepath.Join(dir, "f"+strconv.Itoa(i)), string(crashContent(i)), 0o644)
			}
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashHelperEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		if !sc.Scan() || sc.Text() != "ready" {
			t.Fatalf("helper did not start: %q", sc.Text())
		}
		// The random moment of the kill.
		killer := time.AfterFunc(time.Duration(rng.IntN(60000))*time.Microsecond, func() { cmd.Process.Kill() })
		var lines []string
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		cmd.Wait()
		killer.Stop()
		for _, l := range lines {
			if l != "done" {
				t.Fatalf("iteration %d: helper: %s", it, l)
			}
		}
		if len(lines) == 0 {
			killed++
		}
		checkAfterCrash(t, it, dir, want)
	}
}

func checkAfterCrash(t *testing.T, it int, dir string, want []key.Key) {
	t.Helper()
	s := Open(filepath.Join(dir, ".git/annex"), Options{})
	defer s.Close()
	ctx := context.Background()
	// Every object verifies, and nothing else sits under objects/.
	for k, err := range s.Keys(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Verify(ctx, k, false); err != nil {
			t.Fatalf("iteration %d: %v", it, err)
		}
	}
	filepath.WalkDir(s.ObjectsDir(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			k, kerr := key.FromFile(d.Name())
			if kerr != nil || p != s.ObjectPath(k) {
				t.Errorf("iteration %d: stray file under objects: %s", it, p)
			}
		}
		return nil
	})
	// No added file is lost: its source or its object exists.
	for i, k := range want {
		if i%3 == 2 {
			continue
		}
		src := filepath.Join(dir, "f"+strconv.Itoa(i))
		got, err := os.ReadFile(src)
		if err == nil {
			if !bytes.Equal(got, crashContent(i)) {
				t.Fatalf("iteration %d: source f%d changed", it, i)
			}
			continue
		}
		if ok, _ := s.Has(k); !ok {
			t.Fatalf("iteration %d: f%d lost: neither source (%v) nor object", it, i, err)
		}
	}
}
