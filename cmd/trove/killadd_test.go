package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/pointer"
	"github.com/troveproject/trove/internal/testutil"
)

const (
	killIterations = 30
	killFiles      = 240
)

// TestKillAddLosesNothing runs `git-annex add .` over a few hundred files
// (locked, unlocked, small files kept in git, duplicates), SIGKILLs its
// whole process group at a random moment, and checks that every file's
// content is still in the work tree or in a valid object its symlink points
// at, that every object matches its key, that git can read the index, and
// that running add again finishes the job so that the real git-annex's
// fsck passes.
func TestKillAddLosesNothing(t *testing.T) {
	// testutil's PATH search would find this test binary, which TestMain
	// installs as git-annex; main_test.go's search skips it.
	if p, err := findRealAnnex(); err == nil {
		t.Setenv(testutil.GitAnnexEnvVar, p)
	}
	real := testutil.RequireGitAnnex(t)
	bin := killTestBin(t)
	env := append(testutil.Env(t), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	realEnv := append(testutil.Env(t), "PATH="+filepath.Dir(real)+string(os.PathListSeparator)+os.Getenv("PATH"))
	seed := rand.Uint64()
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("kill delays seed %d; %d iterations of %d files", seed, killIterations, killFiles)

	// Calibrate: how long does an uninterrupted add take here?
	dir, _ := newKillRepo(t, env, rand.New(rand.NewPCG(1, 2)))
	start := time.Now()
	runIn(t, dir, env, "git-annex", "add", ".")
	full := time.Since(start)
	t.Logf("uninterrupted add of %d files: %v", killFiles, full)

	locked := 0
	for i := range killIterations {
		dir, want := newKillRepo(t, env, rand.New(rand.NewPCG(uint64(i), 3)))
		args := []string{"add", "."}
		if i%2 == 1 {
			args = append(args, "-J2")
		}
		delay := time.Duration(rng.Int64N(int64(full + full/5)))
		killed := killAfter(t, dir, env, delay, args...)
		t.Logf("iteration %d: %v, killed after %v: %v", i, args, delay, killed)

		checkContents(t, dir, want)
		checkObjects(t, dir)
		runIn(t, dir, env, "git", "status", "--porcelain")
		runIn(t, dir, env, "git", "diff", "--cached", "--name-only")
		lock := filepath.Join(dir, ".git", "index.lock")
		if _, err := os.Lstat(lock); err == nil {
			locked++
			out, err := outputIn(dir, env, "git-annex", "add", ".")
			if err == nil || !strings.Contains(out, lock) || !strings.Contains(out, "rm ") {
				t.Fatalf("iteration %d: add with a stale %s: err %v, want a failure naming it and the fix; output:\n%s", i, lock, err, out)
			}
			checkContents(t, dir, want)
			if err := os.Remove(lock); err != nil {
				t.Fatal(err)
			}
		}
		runIn(t, dir, env, "git", "fsck", "--no-dangling", "--connectivity-only")

		runIn(t, dir, env, "git-annex", "add", ".")
		checkContents(t, dir, want)
		if st := runIn(t, dir, env, "git", "status", "--porcelain", "--untracked-files=all"); strings.Contains(st, "??") {
			t.Fatalf("iteration %d: files left unadded after the second add:\n%s", i, st)
		}
		if ls := runIn(t, dir, env, "git", "ls-files"); strings.Contains(ls, ".trove-link") {
			t.Fatalf("iteration %d: a temporary link was staged:\n%s", i, ls)
		}
		runIn(t, dir, env, "git", "commit", "-q", "-m", "add")
		runIn(t, dir, realEnv, real, "fsck", "-q")
	}
	t.Logf("%d of %d kills left git's index.lock behind", locked, killIterations)
}

// killTestBin returns a directory holding `git-annex`, a link to this test
// binary (which TestMain runs as Trove under that name), so that git's
// filter and hook calls reach Trove too.
func killTestBin(t *testing.T) string {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(bin, "git-annex")); err != nil {
		t.Fatal(err)
	}
	return bin
}

// newKillRepo makes an initialised repository holding killFiles files and
// returns it with the content of every file, by path. Files named *.unl
// are added unlocked, *.txt ones are small (kept in git), some files share
// content.
func newKillRepo(t *testing.T, env []string, rng *rand.Rand) (string, map[string][]byte) {
	dir := testutil.TempDir(t)
	runIn(t, dir, env, "git", "init", "-q")
	runIn(t, dir, env, "git", "config", "annex.addunlocked", "include=*.unl")
	runIn(t, dir, env, "git-annex", "init", "-q", "kill")
	attrs := []byte("*.txt annex.largefiles=nothing\n")
	if err := os.WriteFile(filepath.Join(dir, ".gitattributes"), attrs, 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{".gitattributes": attrs}
	exts := []string{".bin", ".dat", ".unl", ".txt", ""}
	for i := range killFiles {
		p := fmt.Sprintf("d%d/sub %d/f%03d%s", i%7, i%3, i, exts[i%len(exts)])
		var content []byte
		if i%11 == 5 {
			content = want[fmt.Sprintf("d%d/sub %d/f%03d%s", (i-5)%7, (i-5)%3, i-5, exts[(i-5)%len(exts)])]
		} else {
			content = make([]byte, 1+rng.IntN(1<<uint(4+i%14)))
			for j := range content {
				content[j] = byte(rng.Uint32())
			}
		}
		abs := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, content, 0o644); err != nil {
			t.Fatal(err)
		}
		want[p] = content
	}
	return dir, want
}

// killAfter starts git-annex with args in its own process group and kills
// the group with SIGKILL after delay. It reports whether the kill came
// before the command ended.
func killAfter(t *testing.T, dir string, env []string, delay time.Duration, args ...string) bool {
	cmd := exec.Command(pathIn(env, "git-annex"), args...)
	cmd.Dir, cmd.Env = dir, env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("git-annex %v failed before it was killed: %v\n%s", args, err, out.String())
		}
		return false
	case <-time.After(delay):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		return true
	}
}

// checkContents checks that every file still has its content, either in
// the work tree or in the object its annex symlink or pointer names.
func checkContents(t *testing.T, dir string, want map[string][]byte) {
	t.Helper()
	for p, content := range want {
		abs := filepath.Join(dir, p)
		fi, err := os.Lstat(abs)
		if err != nil {
			t.Fatalf("%s is gone: %v", p, err)
		}
		var got []byte
		if fi.Mode()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(abs)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := pointer.ParseLink(target); !ok {
				t.Fatalf("%s is a symlink to %s, not to an annex object", p, target)
			}
			got, err = os.ReadFile(abs)
			if err != nil {
				t.Fatalf("%s: its object is missing: %v", p, err)
			}
		} else if got, err = os.ReadFile(abs); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, content) {
			t.Fatalf("%s: content changed (%d bytes, want %d)", p, len(got), len(content))
		}
	}
}

// checkObjects checks that every object under .git/annex/objects has the
// size and SHA-256 its key names.
func checkObjects(t *testing.T, dir string) {
	t.Helper()
	root := filepath.Join(dir, ".git", "annex", "objects")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && path == root {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		k, err := key.Parse(d.Name())
		if err != nil {
			return fmt.Errorf("object %s: %w", path, err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		name := strings.TrimSuffix(k.Name, filepath.Ext(k.Name))
		if k.Size != int64(len(data)) || name != hex.EncodeToString(sum[:]) {
			return fmt.Errorf("object %s does not match its key (%d bytes)", path, len(data))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// pathIn finds name on the PATH of env; it returns name when it is
// absolute or not found.
func pathIn(env []string, name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	for _, kv := range env {
		if path, ok := strings.CutPrefix(kv, "PATH="); ok {
			for _, d := range filepath.SplitList(path) {
				p := filepath.Join(d, name)
				if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
					return p
				}
			}
		}
	}
	return name
}

// outputIn runs name (looked up on env's PATH) with args in dir and returns
// its combined output.
func outputIn(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(pathIn(env, name), args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// runIn is outputIn failing the test on error.
func runIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	out, err := outputIn(dir, env, name, args...)
	if err != nil {
		t.Fatalf("%s %s (in %s): %v\n%s", name, strings.Join(args, " "), dir, err, out)
	}
	return out
}
