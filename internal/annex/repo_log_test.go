package annex

import (
	"context"
	"strings"
	"testing"

	"github.com/troveproject/trove/internal/logs"
)

// TestDeferredRecordNeverOverridesLaterOne: a "present" record deferred to
// Commit, then a "missing" record of the same key and repository written
// through the journal (a PUT then a REMOVE in one server session), must
// leave the key missing after Commit.
func TestDeferredRecordNeverOverridesLaterOne(t *testing.T) {
	ctx := context.Background()
	origin := annexOrigin(t)
	r := openRepo(t, origin)
	k := mustKey(t, helloKey)
	u := r.UUID()
	r.logPresentAt(k, u)
	if err := r.logLocation(ctx, k, u, logs.Missing); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	got := branchFile(t, origin, logs.LocationLogPath(k, r.cfg.BranchHash1))
	if !strings.Contains(got, " 0 "+string(u)) || strings.Contains(got, " 1 "+string(u)) {
		t.Errorf("location log after a deferred present then a missing record:\n%s\nwant %s recorded missing (0) only", got, u)
	}
}
