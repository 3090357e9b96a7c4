package gitcmd

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCatFile(t *testing.T) {
	r := newRepo(t)
	ctx := context.Background()
	commitFiles(t, r)
	cf, err := r.NewCatFile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer cf.Close()
	check, err := r.NewCatFileCheck(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			name := oddNames[i%len(oddNames)]
			if strings.Contains(name, "\n") {
				name = "plain"
			}
			obj, found, err := cf.Read(ctx, "HEAD:"+name)
			want := "content of " + name
			if err != nil || !found || string(obj.Data) != want || obj.Type != "blob" ||
				obj.Size != int64(len(want)) || obj.SHA != HashBlob("", []byte(want)) {
				t.Errorf("Read(HEAD:%s) = %+v, %v, %v", name, obj, found, err)
			}
		})
	}
	wg.Wait()

	if _, found, err := cf.Read(ctx, "HEAD:nosuchfile"); found || err != nil {
		t.Errorf("missing path: found=%v err=%v", found, err)
	}
	if _, found, err := cf.Read(ctx, "0123456789012345678901234567890123456789"); found || err != nil {
		t.Errorf("missing sha: found=%v err=%v", found, err)
	}
	if _, _, err := cf.Read(ctx, "a\nb"); err == nil {
		t.Error("a name with a newline was accepted")
	}
	// The process still serves requests after the rejected name.
	if obj, found, err := cf.Read(ctx, "HEAD:plain"); !found || err != nil || string(obj.Data) != "content of plain" {
		t.Errorf("after rejection: %q %v %v", obj.Data, found, err)
	}
	info, found, err := check.Info(ctx, "HEAD")
	if err != nil || !found || info.Type != "commit" {
		t.Errorf("Info(HEAD) = %+v %v %v", info, found, err)
	}
	if _, found, err := check.Info(ctx, "HEAD:nope"); found || err != nil {
		t.Errorf("Info(HEAD:nope) found=%v err=%v", found, err)
	}
	if err := cf.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := cf.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, _, err := cf.Read(ctx, "HEAD"); !errors.Is(err, errClosed) {
		t.Errorf("Read after Close: %v", err)
	}
}

func TestCatFileCancel(t *testing.T) {
	r := newRepo(t)
	cf, err := r.NewCatFile(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer cf.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := cf.Read(ctx, "HEAD"); !errors.Is(err, context.Canceled) {
		t.Errorf("Read with a cancelled context: %v", err)
	}
}

func TestCheckAttr(t *testing.T) {
	r := newRepo(t)
	ctx := context.Background()
	writeFile(t, r, ".gitattributes", "*.bin annex.largefiles=anything\n*.txt -text\nsub/** text\n")
	ca, err := r.NewCheckAttr(ctx, "annex.largefiles", "text")
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close()
	for path, want := range map[string]map[string]string{
		"a.bin":       {"annex.largefiles": "anything"},
		"a.txt":       {"text": AttrUnset},
		"sub/x y.bin": {"annex.largefiles": "anything", "text": AttrSet},
		"other":       {},
	} {
		got, err := ca.Check(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("Check(%q) (-want +got):\n%s", path, d)
		}
	}
}

// TestCheckAttrPipe sends far more paths than the pipes hold before
// receiving, from another goroutine, and checks every answer is the one
// for its own path, as Check gives it.
func TestCheckAttrPipe(t *testing.T) {
	r := newRepo(t)
	ctx := context.Background()
	writeFile(t, r, ".gitattributes", "*.bin annex.numcopies=3\n*7.bin annex.mincopies=2\nsub/** -annex.numcopies\n")
	ca, err := r.NewCheckAttrPipe(ctx, "annex.numcopies", "annex.mincopies")
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close()
	var paths []string
	for i := range 5000 {
		dir := "data"
		if i%5 == 0 {
			dir = "sub"
		}
		paths = append(paths, fmt.Sprintf("%s/some longer name %05d.bin", dir, i))
	}
	sendErr := make(chan error, 1)
	go func() {
		for _, p := range paths {
			if err := ca.Send(p); err != nil {
				sendErr <- err
				return
			}
		}
		sendErr <- nil
	}()
	for i, p := range paths {
		got, err := ca.Receive(p)
		if err != nil {
			t.Fatalf("Receive(%q): %v", p, err)
		}
		want := map[string]string{"annex.numcopies": "3"}
		if i%5 == 0 {
			want["annex.numcopies"] = AttrUnset
		}
		if i%10 == 7 {
			want["annex.mincopies"] = "2"
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("Receive(%q) (-want +got):\n%s", p, d)
		}
	}
	if err := <-sendErr; err != nil {
		t.Fatal(err)
	}
	if err := ca.Send("bad\x00path"); err == nil {
		t.Error("Send of a path holding NUL succeeded")
	}
	if err := ca.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestIndexRefsAndCommits(t *testing.T) {
	r := newRepo(t)
	ctx := context.Background()
	index := r.Path("test-index")
	ri := r.WithIndex(index)

	bw, err := r.NewBlobWriter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ui, err := ri.NewUpdateIndex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	shas := map[string]string{}
	for i := range 50 {
		p := fmt.Sprintf("d%d/f%d.log", i%3, i)
		sha, err := bw.Write(ctx, []byte(p+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		shas[p] = sha
		if err := ui.Add(ctx, "100644", sha, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := ui.Remove(ctx, "d0/f0.log"); err != nil {
		t.Fatal(err)
	}
	delete(shas, "d0/f0.log")
	if err := bw.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ui.Close(); err != nil {
		t.Fatal(err)
	}
	tree, err := ri.WriteTree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c1, err := r.CommitTree(ctx, tree, nil, "first\n")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.UpdateRef(ctx, "refs/heads/test", c1, strings.Repeat("0", 40)); err != nil {
		t.Fatal(err)
	}
	c2, err := r.WithEnv("GIT_AUTHOR_NAME=Other").CommitTree(ctx, tree, []string{c1}, "second\n")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.UpdateRef(ctx, "refs/heads/test", c2, c2); err == nil {
		t.Error("UpdateRef with a wrong old value succeeded")
	}
	if err := r.UpdateRef(ctx, "refs/heads/test", c2, c1); err != nil {
		t.Fatal(err)
	}
	if err := bw.Close(); err != nil {
		t.Fatal(err)
	}

	got := map[string]string{}
	for e, err := range r.LsTree(ctx, "refs/heads/test") {
		if err != nil {
			t.Fatal(err)
		}
		got[e.Path] = e.SHA
	}
	if d := cmp.Diff(shas, got); d != "" {
		t.Errorf("committed tree (-want +got):\n%s", d)
	}
	if s := gitIn(t, r.Top, "fsck", "--strict", "--no-dangling"); strings.Contains(s, "missing") || strings.Contains(s, "error") {
		t.Errorf("git fsck: %s", s)
	}
	if log := gitIn(t, r.Top, "log", "--format=%an %s %P", "test"); log != "Other second "+c1+"\nTest first" {
		t.Errorf("log = %q", log)
	}

	if sha, err := r.RevParse(ctx, "test"); err != nil || sha != c2 {
		t.Errorf("RevParse(test) = %q, %v", sha, err)
	}
	if _, err := r.RevParse(ctx, "nosuch"); !errors.Is(err, ErrNotFound) {
		t.Errorf("RevParse(nosuch) err = %v", err)
	}
	refs, err := r.ShowRef(ctx, "test")
	if d := cmp.Diff([]Ref{{"refs/heads/test", c2}}, refs); err != nil || d != "" {
		t.Errorf("ShowRef: %v %s", err, d)
	}
	if refs, err := r.ShowRef(ctx, "nosuch"); err != nil || len(refs) != 0 {
		t.Errorf("ShowRef(nosuch) = %v, %v", refs, err)
	}
	if anc, err := r.IsAncestor(ctx, c1, c2); err != nil || !anc {
		t.Errorf("IsAncestor(c1, c2) = %v, %v", anc, err)
	}
	if anc, err := r.IsAncestor(ctx, c2, c1); err != nil || anc {
		t.Errorf("IsAncestor(c2, c1) = %v, %v", anc, err)
	}

	other := r.WithIndex(r.Path("other-index"))
	if err := other.ReadTree(ctx, c2); err != nil {
		t.Fatal(err)
	}
	if t2, err := other.WriteTree(ctx); err != nil || t2 != tree {
		t.Errorf("ReadTree then WriteTree = %s, %v; want %s", t2, err, tree)
	}
}

func TestHashBlobMatchesGit(t *testing.T) {
	isolateGit(t)
	for _, format := range []string{"sha1", "sha256"} {
		for _, data := range []string{"", "x", "hello\nworld\n", strings.Repeat("\x00\xff", 5000)} {
			cmd := exec.Command("git", "hash-object", "--stdin", "--literally", "-t", "blob")
			if format == "sha256" {
				r := newRepo(t, "--object-format=sha256")
				cmd.Dir = r.Top
			}
			cmd.Stdin = strings.NewReader(data)
			out, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			if got, want := HashBlob(format, []byte(data)), strings.TrimSpace(string(out)); got != want {
				t.Errorf("HashBlob(%s, %d bytes) = %s, git says %s", format, len(data), got, want)
			}
		}
	}
}

func TestBlobWriterSHA256(t *testing.T) {
	r := newRepo(t, "--object-format=sha256")
	ctx := context.Background()
	bw, err := r.NewBlobWriter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sha, err := bw.Write(ctx, []byte("in a sha256 repo\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := bw.Close(); err != nil {
		t.Fatal(err)
	}
	if got := gitIn(t, r.Top, "cat-file", "blob", sha); got != "in a sha256 repo" {
		t.Errorf("blob %s = %q", sha, got)
	}
}
