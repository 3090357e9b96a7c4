package annex

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/objectstore"
)

// TestDropKey: content goes with no copies checked (the only copy), the
// journal records it missing and Commit makes no commit; a second
// DropKey removes nothing and records nothing more; content in use is
// refused and left in place.
func TestDropKey(t *testing.T) {
	ctx := context.Background()
	origin := annexOrigin(t)
	r := openRepo(t, origin)
	k := mustKey(t, helloKey)
	logPath := logs.LocationLogPath(k, r.cfg.BranchHash1)
	journal := filepath.Join(origin, ".git/annex/journal", logs.JournalFileName(logPath))

	shared, err := r.objects.LockShared(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if removed, err := r.DropKey(ctx, k); removed || !errors.Is(err, objectstore.ErrContentLocked) || !strings.Contains(err.Error(), k.String()) {
		t.Errorf("DropKey of locked content = %v, %v; want an ErrContentLocked naming the key", removed, err)
	}
	if has, _ := r.objects.Has(k); !has {
		t.Fatal("locked content was removed")
	}
	if err := shared.Release(); err != nil {
		t.Fatal(err)
	}

	removed, err := r.DropKey(ctx, k)
	if err != nil || !removed {
		t.Fatalf("DropKey = %v, %v; want removed", removed, err)
	}
	if has, _ := r.objects.Has(k); has {
		t.Error("content still present after DropKey")
	}
	data, err := os.ReadFile(journal)
	if err != nil {
		t.Fatalf("no journal record of the drop: %v", err)
	}
	if want := " 0 " + string(r.UUID()) + "\n"; !strings.HasSuffix(string(data), want) {
		t.Errorf("journal %s = %q, want a line ending %q", logPath, data, want)
	}
	if removed, err := r.DropKey(ctx, k); err != nil || removed {
		t.Errorf("second DropKey = %v, %v; want nothing removed", removed, err)
	}
	again, _ := os.ReadFile(journal)
	if string(again) != string(data) {
		t.Errorf("second DropKey changed the journal:\n%s\nwas\n%s", again, data)
	}
	if committed, err := r.Commit(ctx); err != nil || committed {
		t.Errorf("Commit after DropKey = %v, %v; want no commit (git-annex's noCommit)", committed, err)
	}
	if _, err := os.Stat(journal); err != nil {
		t.Errorf("journal record gone after Commit: %v", err)
	}
}
