package annexbranch

import (
	"context"
	"os"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/logs"
)

// TestJournalledLists: Journalled lists the public journal's paths in
// name order; PrivateJournalled the private journal's, in directory
// order, and nothing while no repository is private.
func TestJournalledLists(t *testing.T) {
	ctx := context.Background()
	b, _ := privateBranch(t)
	privLog := "0aa/0bb/SHA256E-s2--11.log"
	pubLog := "fff/eee/SHA256E-s3--22.log"
	for _, c := range []struct{ path, u string }{
		{keyLog, privUUID}, {privLog, privUUID}, {pubLog, publicUUID},
	} {
		line := "1700000001s 1 " + c.u + "\n"
		if err := b.Change(ctx, c.path, func(old []byte) []byte { return append(old, line...) }); err != nil {
			t.Fatal(err)
		}
	}
	pub, err := b.Journalled()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{pubLog}, pub); diff != "" {
		t.Errorf("Journalled (-want +got):\n%s", diff)
	}
	priv, err := b.PrivateJournalled()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(b.privateJournalDir())
	if err != nil {
		t.Fatal(err)
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, n := range names {
		want = append(want, logs.BranchPathFromJournal(n))
	}
	if diff := cmp.Diff(want, priv); diff != "" {
		t.Errorf("PrivateJournalled not in directory order (-want +got):\n%s", diff)
	}
	sorted := append([]string(nil), priv...)
	sort.Strings(sorted)
	if diff := cmp.Diff([]string{privLog, keyLog}, sorted); diff != "" {
		t.Errorf("PrivateJournalled paths (-want +got):\n%s", diff)
	}

	public := openBranch(t, b.repo)
	if got, err := public.PrivateJournalled(); err != nil || got != nil {
		t.Errorf("PrivateJournalled without private repositories = %q, %v; want nil", got, err)
	}
}
