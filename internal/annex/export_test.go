package annex

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// lsTreeCalls counts the `git ls-tree` runs GIT_TRACE logged in path.
func lsTreeCalls(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), " ls-tree ")
}

// TestExportAgainListsTheTreeOnce exports a tree twice to a directory
// remote: the second export finds the same tree in export.log and changes
// nothing, and it lists that tree with one `git ls-tree`, not one for
// the new tree and another for the exported one.
func TestExportAgainListsTheTreeOnce(t *testing.T) {
	ctx := context.Background()
	r, dir := treeRepo(t)
	store := t.TempDir()
	opts := InitRemoteOptions{Name: "dest", Params: []string{"type=directory", "directory=" + store, "exporttree=yes", "encryption=none"}}
	if _, err := r.InitRemote(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r = openRepo(t, dir)
	export := func() []string {
		t.Helper()
		var events []string
		err := r.Export(ctx, ExportOptions{Treeish: "HEAD", To: "dest"}, func(e ExportEvent) {
			if e.Err != nil {
				t.Errorf("%s %s: %v", e.Kind, e.File, e.Err)
			}
			events = append(events, e.Kind+" "+e.File)
		})
		if err != nil {
			t.Fatal(err)
		}
		return events
	}
	want := []string{"export a.txt", "export big.bin", "export d/u.txt", "export g.txt"}
	if d := cmp.Diff(want, export()); d != "" {
		t.Errorf("first export (-want +got):\n%s", d)
	}
	if _, err := r.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	trace := filepath.Join(t.TempDir(), "trace")
	t.Setenv("GIT_TRACE", trace)
	if got := export(); len(got) != 0 {
		t.Errorf("second export of the same tree did %v, want nothing", got)
	}
	if n := lsTreeCalls(t, trace); n != 1 {
		t.Errorf("second export ran git ls-tree %d times, want 1", n)
	}
	for _, p := range []string{"a.txt", "d/u.txt", "g.txt", "big.bin"} {
		if _, err := os.Stat(filepath.Join(store, p)); err != nil {
			t.Errorf("exported file: %v", err)
		}
	}
}
