package p2p

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/testutil"
	"github.com/troveproject/trove/internal/uuid"
)

const (
	serverUUID = uuid.UUID("5e000000-0000-4000-8000-000000000001")
	clientUUID = uuid.UUID("c1000000-0000-4000-8000-000000000002")
)

// cmdStream is a local git-annex-shell p2pstdio process.
type cmdStream struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out io.ReadCloser
}

func (s *cmdStream) Read(p []byte) (int, error)  { return s.out.Read(p) }
func (s *cmdStream) Write(p []byte) (int, error) { return s.in.Write(p) }
func (s *cmdStream) Close() error {
	s.in.Close()
	return s.cmd.Wait()
}

// realShellDialer runs the real git-annex-shell p2pstdio on dir, without
// ssh: what an sshd would run.
func realShellDialer(t *testing.T, dir string, want uuid.UUID) Dialer {
	shell := filepath.Join(filepath.Dir(testutil.RequireGitAnnex(t)), "git-annex-shell")
	return func(ctx context.Context) (Stream, error) {
		cmd := testutil.Command(t, dir, shell, "p2pstdio", dir, string(clientUUID), "--uuid", string(want))
		in, err := cmd.StdinPipe()
		if err != nil {
			return nil, err
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			return nil, err
		}
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		return &cmdStream{cmd: cmd, in: in, out: out}, nil
	}
}

func newRealServerRemote(t *testing.T) (*Remote, string) {
	dir := testutil.NewAnnexRepo(t, serverUUID, "server")
	r := New(Config{Name: "origin", UUID: serverUUID, Cost: remote.ExpensiveCost, Location: dir, Dial: realShellDialer(t, dir, serverUUID)})
	t.Cleanup(func() {
		if err := r.Close(context.Background()); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return r, dir
}

// Trove's client passes the conformance suite against the real
// git-annex-shell p2pstdio (store, retrieve with resume, present, remove,
// concurrency over pooled sessions).
func TestConformanceAgainstRealGitAnnexShell(t *testing.T) {
	remotetest.Run(t, func(t *testing.T) remote.Remote {
		r, _ := newRealServerRemote(t)
		return r
	}, remotetest.Options{Size: 100 << 10})
}

// A lock held through LOCKCONTENT keeps the real git-annex from dropping
// the content; after the unlock it can.
func TestLockContentBlocksRealDrop(t *testing.T) {
	r, dir := newRealServerRemote(t)
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("locked content\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	testutil.RunAnnex(t, dir, "add", "-q", "f")
	k, err := key.Parse(trimNL(testutil.RunAnnex(t, dir, "lookupkey", "f")))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	unlock, err := r.LockContent(ctx, k)
	if err != nil {
		t.Fatalf("LockContent: %v", err)
	}
	if err := testutil.Command(t, dir, testutil.RequireGitAnnex(t), "drop", "--force", "f").Run(); err == nil {
		t.Errorf("git annex drop succeeded while the content was locked")
	}
	if err := unlock(); err != nil {
		t.Fatalf("unlock: %v", err)
	}
	testutil.RunAnnex(t, dir, "drop", "--force", "f")
	if _, err := r.LockContent(ctx, k); !errors.Is(err, remote.ErrNotPresent) {
		t.Errorf("LockContent of dropped content: %v, want ErrNotPresent", err)
	}
}

// A wrong expected UUID is refused by the server, and the remote reports
// itself unavailable.
func TestWrongUUIDIsUnavailable(t *testing.T) {
	dir := testutil.NewAnnexRepo(t, serverUUID, "server")
	other := uuid.UUID("00000000-0000-4000-8000-00000000000f")
	r := New(Config{Name: "origin", UUID: other, Location: dir, Dial: realShellDialer(t, dir, other)})
	defer r.Close(context.Background())
	_, err := r.CheckPresent(context.Background(), key.Key{Variety: "SHA256E", Name: "x", Size: 1, HasSize: true})
	if !errors.Is(err, remote.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
}

func trimNL(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '\n') {
		s = s[:len(s)-1]
	}
	return s
}

// The note is git-annex 10.20230126's, captured from `git annex drop f1`
// in a clone of an ssh remote named origin: "drop f1 (locking origin...) ok"
// and "note":"locking origin..." with --json.
func TestLockNote(t *testing.T) {
	r := New(Config{Name: "origin"})
	if got := r.LockNote(); got != "locking origin..." {
		t.Errorf("LockNote = %q", got)
	}
}
