package directory

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/uuid"
)

const testUUID = uuid.UUID("5672302a-51be-46e9-a9c5-532e3b9d22f5")

func open(t *testing.T, dir string) remote.Remote {
	t.Helper()
	h := remotetest.NewHost(t)
	h.SetGitConfig("remote.d.annex-directory", dir)
	r, err := Type.New(context.Background(), remote.Params{Name: "d", UUID: testUUID, Config: remote.Config{"type": "directory"}, Host: h})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestConformance(t *testing.T) {
	remotetest.Run(t, func(t *testing.T) remote.Remote { return open(t, remotetest.WritableTempDir(t)) },
		remotetest.Options{Size: 100_000, Large: 20 << 20})
}

// The layout and modes git-annex 10.20230126 produced for a 6-byte file
// "hello\n" (see git-annex-internals §8.2).
func TestLayoutAsGitAnnex(t *testing.T) {
	dir := remotetest.WritableTempDir(t)
	r := open(t, dir)
	src := filepath.Join(t.TempDir(), "a.txt")
	os.WriteFile(src, []byte("hello\n"), 0o644)
	k, err := key.Parse("SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Store(context.Background(), k, remote.Source{Path: src, Size: -1}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	var got []string
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		fi, _ := e.Info()
		rel, _ := filepath.Rel(dir, p)
		if rel == "." {
			return nil
		}
		got = append(got, fi.Mode().String()+" "+rel)
		return nil
	})
	kf := "SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt"
	want := []string{
		"drwxr-xr-x d91",
		"drwxr-xr-x d91/b11",
		"dr-xr-xr-x d91/b11/" + kf,
		"-r--r--r-- d91/b11/" + kf + "/" + kf,
		"drwxr-xr-x tmp",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}
}

// Content stored by old git-annex versions under mixed-case hash
// directories is found, retrieved and removed.
func TestMixedLayoutRead(t *testing.T) {
	dir := remotetest.WritableTempDir(t)
	r := open(t, dir)
	k, _ := key.Parse("SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt")
	p := filepath.Join(dir, k.HashDirMixed(), k.File(), k.File())
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, []byte("hello\n"), 0o444)
	ctx := context.Background()
	if ok, err := r.CheckPresent(ctx, k); !ok || err != nil {
		t.Fatalf("CheckPresent of mixed-layout content = %v, %v", ok, err)
	}
	sinkPath := filepath.Join(t.TempDir(), "out")
	s, _ := remotetest.NewFileSink(sinkPath)
	if err := r.Retrieve(ctx, k, s, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.Bytes(); string(b) != "hello\n" {
		t.Errorf("retrieved %q", b)
	}
	if err := r.Remove(ctx, k); err != nil {
		t.Fatal(err)
	}
	if ok, err := r.CheckPresent(ctx, k); ok || err != nil {
		t.Errorf("after Remove: CheckPresent = %v, %v", ok, err)
	}
}

func TestMissingDirectoryIsUnavailable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "unmounted")
	r := open(t, dir)
	k, _ := key.Parse("SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt")
	ctx := context.Background()
	_, err := r.CheckPresent(ctx, k)
	if !errors.Is(err, remote.ErrUnavailable) || !strings.Contains(err.Error(), "directory "+dir+" is not accessible") {
		t.Errorf("CheckPresent: %v", err)
	}
	if err := r.Remove(ctx, k); !errors.Is(err, remote.ErrUnavailable) {
		t.Errorf("Remove: %v", err)
	}
	if err := r.Store(ctx, k, remote.Source{Path: "/dev/null", Size: -1}, progress.Discard); !errors.Is(err, remote.ErrUnavailable) {
		t.Errorf("Store: %v", err)
	}
}

// Setup's messages are git-annex's.
func TestSetup(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	for _, tc := range []struct {
		mode    remote.SetupMode
		cfg     remote.Config
		want    remote.SetupResult
		wantErr string
	}{
		{remote.Init, remote.Config{"encryption": "none"}, remote.SetupResult{}, "Specify directory="},
		{remote.Init, remote.Config{"directory": dir + "/nope"}, remote.SetupResult{}, "Directory does not exist: " + dir + "/nope"},
		{remote.Enable, remote.Config{"directory": dir, "ignoreinodes": "maybe"}, remote.SetupResult{}, "Bad value for ignoreinodes (expected yes or no)"},
		{remote.Init, remote.Config{"directory": dir, "encryption": "none", "name": "d", "type": "directory"},
			remote.SetupResult{Config: remote.Config{"encryption": "none", "name": "d", "type": "directory"}, GitConfig: map[string]string{"annex-directory": dir}}, ""},
		{remote.Enable, remote.Config{"directory": dir + "/.", "ignoreinodes": "yes"},
			remote.SetupResult{Config: remote.Config{"ignoreinodes": "yes"}, GitConfig: map[string]string{"annex-directory": dir}}, ""},
		{remote.Reconfigure, remote.Config{"ignoreinodes": "no"}, remote.SetupResult{Config: remote.Config{"ignoreinodes": "no"}}, ""},
	} {
		got, err := Type.Setup(ctx, tc.mode, testUUID, tc.cfg, remotetest.NewHost(t))
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("Setup(%v): error %v, want %q", tc.cfg, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("Setup(%v): %v", tc.cfg, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Setup(%v) (-want +got):\n%s", tc.cfg, diff)
		}
	}
}

func TestNewWithoutDirectory(t *testing.T) {
	_, err := Type.New(context.Background(), remote.Params{Name: "d", UUID: testUUID, Host: remotetest.NewHost(t)})
	if err == nil || !strings.Contains(err.Error(), "git annex enableremote d directory=PATH") {
		t.Errorf("New without annex-directory: %v", err)
	}
}

func TestInfo(t *testing.T) {
	r := open(t, "/mnt/nas").(*Remote)
	if diff := cmp.Diff([]remote.InfoField{{Name: "directory", Value: "/mnt/nas"}}, r.Info()); diff != "" {
		t.Error(diff)
	}
	if r.Type() != "directory" || r.Availability() != remote.LocallyAvailable || r.Cost() != remote.CheapCost {
		t.Errorf("type %q availability %v cost %v", r.Type(), r.Availability(), r.Cost())
	}
}

// Store leaves the content's durability to Flush (one syncfs for many
// stores); remote.Flush reaches the directory remote itself and, through
// Unwrap, under a layer that wraps it.
func TestStoreDefersSyncToFlush(t *testing.T) {
	r := open(t, remotetest.WritableTempDir(t)).(*Remote)
	src := filepath.Join(t.TempDir(), "a.txt")
	if err := os.WriteFile(src, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := key.Parse("SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if r.unsynced.Load() {
		t.Fatal("a fresh remote has unsynced content")
	}
	if err := r.Store(ctx, k, remote.Source{Path: src, Size: -1}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	if !r.unsynced.Load() {
		t.Fatal("Store did not leave its content to Flush")
	}
	if err := remote.Flush(ctx, wrapper{r}); err != nil {
		t.Fatal(err)
	}
	if r.unsynced.Load() {
		t.Error("Flush through a wrapping layer left the content unsynced")
	}
	if ok, err := r.CheckPresent(ctx, k); err != nil || !ok {
		t.Errorf("CheckPresent after Flush = %v, %v", ok, err)
	}
}

// wrapper is a layer over a remote, as chunking and encryption are.
type wrapper struct{ remote.Remote }

func (w wrapper) Unwrap() remote.Remote { return w.Remote }
