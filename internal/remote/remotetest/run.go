package remotetest

import (
	"context"
	"testing"

	"github.com/troveproject/trove/internal/remote"
)

// Run runs every check as a subtest of t, each against a fresh remote
// from mk (called with the subtest's t, so its temporary directories and
// cleanups belong to that check). opts.TmpDir is ignored: each check gets
// its own.
func Run(t *testing.T, mk func(t *testing.T) remote.Remote, opts Options) {
	t.Helper()
	names := Checks(nil, opts)
	for i := range names {
		t.Run(names[i].Name, func(t *testing.T) {
			o := opts
			o.TmpDir = t.TempDir()
			r := mk(t)
			check := Checks(r, o)[i]
			if err := check.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if c, ok := r.(remote.Closer); ok {
				if err := c.Close(context.Background()); err != nil {
					t.Errorf("close: %v", err)
				}
			}
		})
	}
}
