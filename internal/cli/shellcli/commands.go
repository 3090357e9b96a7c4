package shellcli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/uuid"
)

// open opens the repository a command works on, initialising it when it
// has a git-annex branch (as every git-annex command does) or when the
// client asked for it with the field autoinit=1; and checks the --uuid the
// client expects.
func (s *shell) open(ctx context.Context, rq request) (*annex.Repo, error) {
	if _, err := os.Stat(rq.dir); err != nil {
		return nil, s.fail("failed to read git config of git repository in %s; perhaps this repository is not set up correctly or has moved", rq.dir)
	}
	r, err := annex.Open(ctx, annex.Options{Dir: rq.dir})
	if errors.Is(err, annex.ErrNotInitialized) && rq.fields["autoinit"] == "1" {
		r, err = annex.Init(ctx, rq.dir, annex.InitOptions{Dir: rq.dir})
	}
	if err != nil {
		return nil, err
	}
	if rq.uuid != "" && uuid.UUID(rq.uuid) != r.UUID() {
		r.Close()
		return nil, s.fail("expected repository UUID %s but found UUID %s", rq.uuid, r.UUID())
	}
	return r, nil
}

// openOrFail is open with every error reported as git-annex-shell's.
func (s *shell) openOrFail(ctx context.Context, rq request) (*annex.Repo, error) {
	r, err := s.open(ctx, rq)
	var ec invocation.ExitCoder
	if err != nil && !errors.As(err, &ec) {
		return nil, s.fail("%s: %v", rq.dir, err)
	}
	return r, err
}

// runConfigList prints the settings a client needs: annex.uuid (empty for
// a git repository without git-annex) and core.gcrypt-id.
func runConfigList(ctx context.Context, s *shell, rq request) error {
	var u uuid.UUID
	var gcrypt string
	r, err := s.open(ctx, rq)
	switch {
	case err == nil:
		defer r.Close()
		u = r.UUID()
		gcrypt, _ = r.Config().Git().Get("core.gcrypt-id")
	case errors.Is(err, annex.ErrNotInitialized):
		if g, gerr := gitcmd.Discover(ctx, rq.dir); gerr == nil {
			if gc, cerr := g.ReadConfig(ctx); cerr == nil {
				gcrypt, _ = gc.Get("core.gcrypt-id")
			}
		}
	default:
		var ec invocation.ExitCoder
		if errors.As(err, &ec) {
			return err
		}
		return s.fail("%s: %v", rq.dir, err)
	}
	_, werr := fmt.Fprintf(s.g.Stdio.Out, "annex.uuid=%s\ncore.gcrypt-id=%s\n", u, gcrypt)
	return werr
}

// runP2PStdio serves the P2P protocol on standard input and output.
func runP2PStdio(ctx context.Context, s *shell, rq request) error {
	if len(rq.args) != 1 {
		return s.fail("bad parameters")
	}
	r, err := s.openOrFail(ctx, rq)
	if err != nil {
		return err
	}
	defer r.Close()
	mode := annex.ServeReadWrite
	switch {
	case s.getenv(envReadOnly) != "":
		mode = annex.ServeReadOnly
	case s.getenv(envAppendOnly) != "":
		mode = annex.ServeAppendOnly
	}
	w := bufio.NewWriter(s.g.Stdio.Out)
	if err := r.ServeP2P(ctx, s.g.Stdio.In, flushWriter{w}, mode); err != nil {
		return s.fail("%v", err)
	}
	return nil
}

// flushWriter flushes after every write, so that each protocol message
// leaves at once while DATA payloads are still written in large pieces.
type flushWriter struct{ w *bufio.Writer }

func (f flushWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if err == nil {
		err = f.w.Flush()
	}
	return n, err
}

// parseKeys reads the key parameters of a command.
func (s *shell) parseKeys(rq request) ([]key.Key, error) {
	if len(rq.args) == 0 {
		return nil, s.fail("bad parameters")
	}
	keys := make([]key.Key, len(rq.args))
	for i, a := range rq.args {
		k, err := key.Parse(a)
		if err != nil {
			return nil, s.fail("bad key %s", a)
		}
		keys[i] = k
	}
	return keys, nil
}

// runInAnnex exits 0 when every key's content is present, 1 when one is
// not, and 100 when presence cannot be determined.
func runInAnnex(ctx context.Context, s *shell, rq request) error {
	keys, err := s.parseKeys(rq)
	if err != nil {
		return err
	}
	r, err := s.openOrFail(ctx, rq)
	if err != nil {
		return err
	}
	defer r.Close()
	for _, k := range keys {
		ok, err := r.PeerHasKey(ctx, k)
		if err != nil {
			return invocation.Exit(100, "")
		}
		if !ok {
			return invocation.Exit(1, "")
		}
	}
	return nil
}

// runLockContent locks the key's content, says "OK", and keeps the lock
// until standard input closes.
func runLockContent(ctx context.Context, s *shell, rq request) error {
	keys, err := s.parseKeys(rq)
	if err != nil {
		return err
	}
	if len(keys) != 1 {
		return s.fail("bad parameters")
	}
	r, err := s.openOrFail(ctx, rq)
	if err != nil {
		return err
	}
	defer r.Close()
	unlock, err := r.PeerLockContent(ctx, keys[0])
	if err != nil {
		return invocation.Exit(1, "")
	}
	if _, err := fmt.Fprintln(s.g.Stdio.Out, "OK"); err != nil {
		return errors.Join(err, unlock())
	}
	_, _ = io.Copy(io.Discard, s.g.Stdio.In)
	return unlock()
}

// runDropKey removes the keys' content and records it missing.
func runDropKey(ctx context.Context, s *shell, rq request) error {
	keys, err := s.parseKeys(rq)
	if err != nil {
		return err
	}
	r, err := s.openOrFail(ctx, rq)
	if err != nil {
		return err
	}
	defer r.Close()
	var failed error
	for _, k := range keys {
		if err := r.PeerRemove(ctx, k); err != nil {
			fmt.Fprintf(s.g.Stdio.Err, "git-annex-shell: %v\n", err)
			failed = invocation.Failed()
		}
	}
	if _, err := r.Commit(ctx); err != nil {
		return s.fail("%v", err)
	}
	return failed
}

// runCommit commits the git-annex branch's journal.
func runCommit(ctx context.Context, s *shell, rq request) error {
	r, err := s.openOrFail(ctx, rq)
	if err != nil {
		return err
	}
	defer r.Close()
	if _, err := r.Commit(ctx); err != nil {
		return s.fail("%v", err)
	}
	return nil
}

// runTransferInfo reads the progress a client reports until it closes
// standard input; Trove keeps no transfer log of it.
func runTransferInfo(_ context.Context, s *shell, _ request) error {
	_, _ = io.Copy(io.Discard, s.g.Stdio.In)
	return nil
}
