package objectstore

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
)

// hashDirOf is the hash directory (below objects/) s stores k in.
func hashDirOf(s *Store, k key.Key) string {
	return filepath.Dir(filepath.Dir(s.ObjectPath(k)))
}

// sameDirKeys returns n one-byte WORM keys (verified by size only) that s
// stores in one hash directory, found by trying names.
func sameDirKeys(t testing.TB, s *Store, n int) []key.Key {
	t.Helper()
	byDir := map[string][]key.Key{}
	for i := 0; i < 1<<22; i++ {
		k := key.Key{Variety: "WORM", Size: 1, HasSize: true, Name: "k" + strconv.Itoa(i)}
		d := hashDirOf(s, k)
		byDir[d] = append(byDir[d], k)
		if len(byDir[d]) == n {
			return byDir[d]
		}
	}
	t.Fatalf("no %d keys share a hash directory", n)
	return nil
}

// objectDirs lists the directories under objects/, relative to it.
func objectDirs(t testing.TB, s *Store) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(s.ObjectsDir(), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != s.ObjectsDir() {
			rel, _ := filepath.Rel(s.ObjectsDir(), p)
			dirs = append(dirs, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// Dropping content removes the hash directories it leaves empty, and only
// those, as git-annex does (objects/ itself stays).
func TestRemoveCleansEmptyHashDirs(t *testing.T) {
	ctx := context.Background()
	for name, opts := range map[string]Options{"mixed": {}, "bare": {Bare: true}, "onelevel": {OneLevel: true}} {
		t.Run(name, func(t *testing.T) {
			s, _ := newStore(t, opts)
			ks := sameDirKeys(t, s, 2)
			for _, k := range ks {
				if err := s.IngestKnown(ctx, k, strings.NewReader("x")); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Drop(ctx, ks[0]); err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(s.ObjectsDir(), s.ObjectPath(ks[1]))
			var want []string
			for d := filepath.Dir(filepath.ToSlash(rel)); d != "."; d = filepath.Dir(d) {
				want = append([]string{d}, want...)
			}
			if diff := cmp.Diff(want, objectDirs(t, s)); diff != "" {
				t.Errorf("after dropping one of two keys (-want +got):\n%s", diff)
			}
			if err := s.Drop(ctx, ks[1]); err != nil {
				t.Fatal(err)
			}
			if got := objectDirs(t, s); len(got) != 0 {
				t.Errorf("directories left after dropping everything: %q", got)
			}
			if _, err := os.Stat(s.ObjectsDir()); err != nil {
				t.Errorf("objects directory: %v", err)
			}
		})
	}
}

// churn ingests and drops each of ks rounds times (one goroutine per key)
// and returns the first failure.
func churn(ctx context.Context, s *Store, ks []key.Key, rounds int) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(ks))
	for _, k := range ks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				if err := s.IngestKnown(ctx, k, strings.NewReader("x")); err != nil {
					errs <- fmt.Errorf("ingest: %w", err)
					return
				}
				if ok, err := s.Has(k); err != nil || !ok {
					errs <- fmt.Errorf("%s not present after ingest (%v)", k, err)
					return
				}
				if err := s.Drop(ctx, k); err != nil && !errors.Is(err, ErrContentLocked) {
					errs <- fmt.Errorf("drop: %w", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// Ingests keep succeeding while other keys of the same hash directory
// are dropped (removing the directory whenever it is left empty), by
// goroutines of this process and by another process.
func TestIngestRacesHashDirRemoval(t *testing.T) {
	ctx := context.Background()
	s, dir := newStore(t, Options{})
	ks := sameDirKeys(t, s, 4)
	rounds := 300
	if testing.Short() {
		rounds = 50
	}
	names := make([]string, len(ks[2:]))
	for i, k := range ks[2:] {
		names[i] = k.String()
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestChurnHelper$")
	cmd.Env = append(os.Environ(), churnHelperEnv+"="+dir, "TROVE_CHURN_KEYS="+strings.Join(names, " "), "TROVE_CHURN_ROUNDS="+strconv.Itoa(rounds))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if err := churn(ctx, s, ks[:2], rounds); err != nil {
		t.Errorf("this process: %v", err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("other process: %v\n%s", err, out.String())
	}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, "churn error") {
			t.Errorf("other process: %s", l)
		}
	}
}

// churnHelperEnv makes TestChurnHelper churn keys in the store of the
// directory it names, for TestIngestRacesHashDirRemoval.
const churnHelperEnv = "TROVE_OBJECTSTORE_CHURN_HELPER"

// TestChurnHelper is the other process of TestIngestRacesHashDirRemoval;
// run normally it has nothing to do.
func TestChurnHelper(t *testing.T) {
	dir := os.Getenv(churnHelperEnv)
	if dir == "" {
		return
	}
	s := Open(filepath.Join(dir, ".git", "annex"), Options{})
	defer s.Close()
	var ks []key.Key
	for _, n := range strings.Fields(os.Getenv("TROVE_CHURN_KEYS")) {
		ks = append(ks, mustKey(t, n))
	}
	rounds, _ := strconv.Atoi(os.Getenv("TROVE_CHURN_ROUNDS"))
	if err := churn(context.Background(), s, ks, rounds); err != nil {
		fmt.Println("churn error", err)
		t.Fatal(err)
	}
}
