package external

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/extproto"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
)

// exportNames holds, per job of the test helper, the name the last EXPORT
// set; each export request consumes it, so a request not preceded by its
// own EXPORT is answered with ERROR.
var exportNames = struct {
	sync.Mutex
	m map[int]string
}{m: map[int]string{}}

// serveExport answers the export requests of the test helper: the tree
// lives under STORE/exported. Mode noexport refuses EXPORTSUPPORTED,
// norename answers RENAMEEXPORT with UNSUPPORTED-REQUEST. It reports
// whether m was an export request.
func serveExport(job int, m extproto.Message, send func(string, ...string), store string, modes map[string]bool) bool {
	root := filepath.Join(store, "exported")
	name := func() (string, bool) {
		exportNames.Lock()
		defer exportNames.Unlock()
		n, ok := exportNames.m[job]
		delete(exportNames.m, job)
		if !ok {
			send(extproto.Error, m.Command+" without EXPORT")
		}
		return filepath.Join(root, filepath.FromSlash(n)), ok
	}
	switch m.Command {
	case extproto.ExportSupported:
		if modes["noexport"] {
			send(extproto.ExportSupportedFailure)
		} else {
			send(extproto.ExportSupportedSuccess)
		}
	case extproto.Export:
		exportNames.Lock()
		exportNames.m[job] = m.Param(0)
		exportNames.Unlock()
	case extproto.TransferExport:
		dir, ks, file := m.Param(0), m.Param(1), m.Param(2)
		p, ok := name()
		if !ok {
			return true
		}
		from, to := file, p
		if dir == extproto.Retrieve {
			from, to = p, file
		}
		data, err := os.ReadFile(from)
		if err == nil {
			_ = os.MkdirAll(filepath.Dir(to), 0o755)
			err = os.WriteFile(to, data, 0o644)
		}
		if err != nil {
			send(extproto.TransferFailure, dir, ks, err.Error())
			return true
		}
		send(extproto.TransferSuccess, dir, ks)
	case extproto.CheckPresentExport:
		p, ok := name()
		if !ok {
			return true
		}
		if _, err := os.Stat(p); err == nil {
			send(extproto.CheckPresentSuccess, m.Param(0))
		} else {
			send(extproto.CheckPresentFailure, m.Param(0))
		}
	case extproto.RemoveExport:
		p, ok := name()
		if !ok {
			return true
		}
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			send(extproto.RemoveFailure, m.Param(0), err.Error())
			return true
		}
		send(extproto.RemoveSuccess, m.Param(0))
	case extproto.RemoveExportDirectory:
		if err := os.RemoveAll(filepath.Join(root, filepath.FromSlash(m.Param(0)))); err != nil {
			send(extproto.RemoveExportDirectoryFailure)
			return true
		}
		send(extproto.RemoveExportDirectorySuccess)
	case extproto.RenameExport:
		p, ok := name()
		if !ok {
			return true
		}
		if modes["norename"] {
			send(extproto.UnsupportedRequest)
			return true
		}
		to := filepath.Join(root, filepath.FromSlash(m.Param(1)))
		_ = os.MkdirAll(filepath.Dir(to), 0o755)
		if err := os.Rename(p, to); err != nil {
			send(extproto.RenameExportFailure, m.Param(0))
			return true
		}
		send(extproto.RenameExportSuccess, m.Param(0))
	default:
		return false
	}
	return true
}

// setUpExport is setUp with exporttree=yes.
func setUpExport(t *testing.T, mode string) (*Remote, *remotetest.Host, string) {
	t.Helper()
	dir, _ := helperScript(t, "testext", mode)
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	h := remotetest.NewHost(t)
	store := filepath.Join(t.TempDir(), "store")
	cfg := remote.Config{"name": "ext", "type": "external", "externaltype": "testext", "encryption": "none", "storedir": store, "exporttree": "yes"}
	ctx := context.Background()
	res, err := Type.Setup(ctx, remote.Init, testUUID, cfg, h)
	if err != nil {
		t.Fatalf("Setup: %v", err)
	}
	rr, err := Type.New(ctx, remote.Params{Name: "ext", UUID: testUUID, Config: res.Config, Cost: 200, Host: h})
	if err != nil {
		t.Fatal(err)
	}
	r := rr.(*Remote)
	t.Cleanup(func() { r.Close(context.Background()) })
	return r, h, filepath.Join(store, "exported")
}

func loc(t *testing.T, p string) remote.ExportLocation {
	t.Helper()
	l, err := remote.NewExportLocation(p)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// treeOf lists the files under dir with their contents.
func treeOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

func TestExportSupportedAtSetup(t *testing.T) {
	for _, mode := range []string{"noexport", "listconfigs,noexport"} {
		dir, _ := helperScript(t, "testext", mode)
		t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
		cfg := remote.Config{"name": "ext", "type": "external", "externaltype": "testext", "encryption": "none",
			"storedir": filepath.Join(t.TempDir(), "s"), "exporttree": "yes"}
		_, err := Type.Setup(context.Background(), remote.Init, testUUID, cfg, remotetest.NewHost(t))
		if !errors.Is(err, ErrExportUnsupported) {
			t.Errorf("%s: Setup = %v, want ErrExportUnsupported", mode, err)
		}
	}
}

func TestExportLifecycle(t *testing.T) {
	for _, mode := range []string{"plain", "async"} {
		t.Run(mode, func(t *testing.T) {
			r, h, root := setUpExport(t, mode)
			ctx := context.Background()
			k, obj := object(t, "exported content")
			a, b := loc(t, "dir/a file.txt"), loc(t, "moved/b.txt")

			if ok, err := r.CheckPresentExport(ctx, k, a); err != nil || ok {
				t.Fatalf("CheckPresentExport before store = %v, %v", ok, err)
			}
			if err := r.StoreExport(ctx, remote.Source{Path: obj, Size: -1}, k, a, progress.Discard); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(map[string]string{"dir/a file.txt": "exported content"}, treeOf(t, root)); diff != "" {
				t.Errorf("tree after store (-want +got):\n%s", diff)
			}
			if ok, err := r.CheckPresentExport(ctx, k, a); err != nil || !ok {
				t.Errorf("CheckPresentExport after store = %v, %v", ok, err)
			}
			dst := filepath.Join(t.TempDir(), "got")
			if err := r.RetrieveExport(ctx, k, a, newFileSink(t, dst), progress.Discard); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(dst); string(got) != "exported content" {
				t.Errorf("retrieved %q", got)
			}
			supported, err := r.RenameExport(ctx, k, a, b)
			if err != nil || !supported {
				t.Fatalf("RenameExport = %v, %v", supported, err)
			}
			if err := r.RemoveExportDirectory(ctx, loc(t, "dir")); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(map[string]string{"moved/b.txt": "exported content"}, treeOf(t, root)); diff != "" {
				t.Errorf("tree after rename (-want +got):\n%s", diff)
			}
			err = r.RetrieveExport(ctx, k, a, newFileSink(t, filepath.Join(t.TempDir(), "x")), progress.Discard)
			if !errors.Is(err, remote.ErrNotPresent) {
				t.Errorf("RetrieveExport of a renamed file = %v, want ErrNotPresent", err)
			}
			if err := r.RemoveExport(ctx, k, b); err != nil {
				t.Fatal(err)
			}
			if err := r.RemoveExport(ctx, k, b); err != nil {
				t.Errorf("RemoveExport of an absent file = %v", err)
			}
			if got := treeOf(t, root); len(got) != 0 {
				t.Errorf("tree after remove = %v", got)
			}
			for _, w := range h.Warnings() {
				t.Errorf("helper said: %s", w)
			}
		})
	}
}

func TestExportRenameUnsupported(t *testing.T) {
	r, _, root := setUpExport(t, "norename")
	ctx := context.Background()
	k, obj := object(t, "stay")
	a := loc(t, "a.txt")
	if err := r.StoreExport(ctx, remote.Source{Path: obj, Size: -1}, k, a, progress.Discard); err != nil {
		t.Fatal(err)
	}
	supported, err := r.RenameExport(ctx, k, a, loc(t, "b.txt"))
	if err != nil || supported {
		t.Errorf("RenameExport = %v, %v; want unsupported without error", supported, err)
	}
	// The helper is still usable after the UNSUPPORTED-REQUEST.
	if ok, err := r.CheckPresentExport(ctx, k, a); err != nil || !ok {
		t.Errorf("CheckPresentExport = %v, %v", ok, err)
	}
	keys := []string{}
	for p := range treeOf(t, root) {
		keys = append(keys, p)
	}
	sort.Strings(keys)
	if diff := cmp.Diff([]string{"a.txt"}, keys); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
}

func TestExportNameWithLineBreak(t *testing.T) {
	r, _, _ := setUpExport(t, "plain")
	k, obj := object(t, "x")
	err := r.StoreExport(context.Background(), remote.Source{Path: obj, Size: -1}, k, loc(t, "a\nb"), progress.Discard)
	if err == nil || !strings.Contains(err.Error(), "line break") {
		t.Errorf("StoreExport of a name with a newline = %v", err)
	}
}
