package external

import (
	"context"
	"testing"

	"github.com/troveproject/trove/internal/remote/remotetest"
)

// TestConformance runs the conformance suite against the Go test helper,
// unframed and with ASYNC. The check of odd key names is left out: keys
// with spaces cannot travel over the protocol, and git-annex refuses them
// too (TestKeyWithSpace checks the refusal).
func TestConformance(t *testing.T) {
	for _, mode := range []string{"plain", "async"} {
		t.Run(mode, func(t *testing.T) {
			r, _, _ := setUp(t, mode)
			for _, c := range remotetest.Checks(r, remotetest.Options{Size: 64 << 10, TmpDir: t.TempDir()}) {
				if c.Name == "odd key names" {
					continue
				}
				t.Run(c.Name, func(t *testing.T) {
					if err := c.Run(context.Background()); err != nil {
						t.Error(err)
					}
				})
			}
		})
	}
}
