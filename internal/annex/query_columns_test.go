package annex

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/testutil"
)

// TestListColumnsOrderSpecialRemotesByCost checks that list's columns put
// special remotes in cost order, each cost taken from its own remote.log
// entry (cost=, encryption) or from annex-cost.
func TestListColumnsOrderSpecialRemotesByCost(t *testing.T) {
	ctx := context.Background()
	r, _ := newHostRepo(t, nil)
	for _, rm := range []struct {
		name   string
		params []string
	}{
		{"costly", []string{"encryption=none", "cost=250"}},
		{"crypt", []string{"encryption=shared"}},
		{"plain", []string{"encryption=none"}},
		{"cheap", []string{"encryption=none", "cost=300"}},
	} {
		opts := InitRemoteOptions{Name: rm.name, Params: append([]string{"type=directory", "directory=" + t.TempDir()}, rm.params...)}
		if _, err := r.InitRemote(ctx, opts); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	testutil.RunGit(t, r.paths.Top, "config", "remote.cheap.annex-cost", "50")
	testutil.RunGit(t, r.paths.Top, "config", "remote.plain.annex-trustlevel", "untrusted")
	cols, err := openRepo(t, r.paths.Top).ListColumns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	type col struct {
		Name      string
		UnTrusted bool
	}
	var got []col
	for _, c := range cols {
		got = append(got, col{c.Name, c.UnTrusted})
	}
	want := []col{{"here", false}, {"cheap", false}, {"plain", true}, {"crypt", false}, {"costly", false}, {"web", false}, {"bittorrent", false}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("columns (-want +got):\n%s", d)
	}
}
