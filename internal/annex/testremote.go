package annex

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/troveproject/trove/internal/remote/remotetest"
)

// TestRemoteOptions are testremote's options.
type TestRemoteOptions struct {
	// Fast skips the slower checks (large content, concurrency), as
	// testremote --fast does.
	Fast bool
	// Size is the size of the test content; 0 means 1 MiB, git-annex's
	// default.
	Size int64
}

// TestRemoteResult is the outcome of one check.
type TestRemoteResult struct {
	Name string
	Err  error // nil when the check passed
}

// TestRemote runs the conformance checks of remotetest against the remote
// called name, calling each with every result in order, and returns how
// many checks failed. The checks store keys of random test content on the
// remote and remove them again; a remote with annex-readonly set is
// refused. Scratch files live in .git/annex/tmp and are removed.
func (r *Repo) TestRemote(ctx context.Context, name string, opts TestRemoteOptions, each func(TestRemoteResult)) (failed int, err error) {
	rem, err := r.Remote(ctx, name)
	if err != nil {
		return 0, err
	}
	if rc, ok := r.cfg.Remote(name); ok && rc.ReadOnly {
		return 0, fmt.Errorf("remote %s is read-only (annex-readonly), and testremote needs to store and remove test keys there; test a writable remote", name)
	}
	tmp := filepath.Join(annexDir(r.git), "tmp", "testremote."+strconv.Itoa(os.Getpid()))
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return 0, fmt.Errorf("testremote %s: %w", name, err)
	}
	defer os.RemoveAll(tmp)
	checks := remotetest.Checks(rem, remotetest.Options{Size: opts.Size, Fast: opts.Fast, TmpDir: tmp})
	for _, c := range checks {
		if err := ctx.Err(); err != nil {
			return failed, err
		}
		res := TestRemoteResult{Name: c.Name, Err: c.Run(ctx)}
		if res.Err != nil {
			failed++
		}
		each(res)
	}
	return failed, nil
}
