package annex

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/policy"
)

// TestDropRecordDeferredUnlessTrusted: a drop's "missing" record waits for
// Commit (no journal file per key) in an untrusted-by-default repository,
// and goes to the journal at once in a trusted one, whose copies others
// count without checking.
func TestDropRecordDeferredUnlessTrusted(t *testing.T) {
	for _, trusted := range []bool{false, true} {
		t.Run(map[bool]string{false: "semitrusted", true: "trusted"}[trusted], func(t *testing.T) {
			ctx := context.Background()
			origin := annexOrigin(t)
			if trusted {
				r := openRepo(t, origin)
				if _, _, err := r.SetTrust(ctx, r.UUID(), "here", policy.Trusted, true); err != nil {
					t.Fatal(err)
				}
				if _, err := r.Commit(ctx); err != nil {
					t.Fatal(err)
				}
				r.Close()
			}
			r := openRepo(t, origin)
			k := mustKey(t, helloKey)
			logPath := logs.LocationLogPath(k, r.cfg.BranchHash1)
			res, err := r.DropLocal(ctx, Item{File: "a.txt", Key: k}, DropOptions{Force: true})
			if err != nil || !res.Dropped {
				t.Fatalf("DropLocal = %+v, %v", res, err)
			}
			_, err = os.Stat(filepath.Join(origin, ".git/annex/journal", logs.JournalFileName(logPath)))
			if journalled := err == nil; journalled != trusted {
				t.Errorf("journal file for %s after the drop: %v, want %v", logPath, journalled, trusted)
			}
			if _, err := r.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			got := branchFile(t, origin, logPath)
			if !strings.Contains(got, " 0 "+string(r.UUID())) {
				t.Errorf("location log after Commit:\n%s\nwant %s recorded missing (0)", got, r.UUID())
			}
		})
	}
}
