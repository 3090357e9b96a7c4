package annexbranch

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestCommitUsesPipelineReads: committing changes to files a Pipeline read
// takes their content from the read cache, and a file another process
// changed since (its object name differs now) is read afresh, so the
// commit builds on the other process's line.
func TestCommitUsesPipelineReads(t *testing.T) {
	const n = 40
	files := locationFiles(n)
	r := plainBranch(t, "sha1", files)
	b := openBranch(t, r)
	ctx := context.Background()
	pl, err := b.NewPipeline(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		pd, err := pl.Request(ctx, logPath(i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pl.Result(pd); err != nil {
			t.Fatal(err)
		}
	}
	if err := pl.Close(); err != nil {
		t.Fatal(err)
	}
	if got := len(b.read.m); got != n {
		t.Fatalf("read cache holds %d files after the Pipeline, want %d", got, n)
	}

	other := logPath(7)
	moved := map[string]string{}
	for p, c := range files {
		moved[p] = c
	}
	moved[other] += "1700000001s 1 other-process\n"
	writeBranch(t, r.Top, moved, Ref+"^0")
	b.tree.markStale()

	changes := Changes{}
	for i := 0; i < n; i++ {
		changes.Add(logPath(i), appendLine(fmt.Sprintf("1700000002s 1 change-%d", i)))
	}
	if _, err := b.CommitChangesMade(ctx, changes, "changes"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		got := run(t, r.Top, "git", "cat-file", "blob", Ref+":"+logPath(i))
		want := strings.TrimSuffix(moved[logPath(i)], "\n") + fmt.Sprintf("\n1700000002s 1 change-%d", i)
		if got != want {
			t.Errorf("%s = %q, want %q", logPath(i), got, want)
		}
	}
	// Files sharing no tree with the other process's change were taken
	// from the cache; at least the changed one was not.
	if got := len(b.read.m); got == 0 || got == n {
		t.Errorf("read cache holds %d files after the commit, want some but not all %d left", got, n)
	}
}

// TestReadCacheBound: the cache forgets everything rather than grow past
// readCacheBytes, and an entry is taken once.
func TestReadCacheBound(t *testing.T) {
	var c readCache
	big := make([]byte, readCacheBytes/4)
	for i := 0; i < 4; i++ {
		c.put(fmt.Sprint(i), big)
	}
	if _, ok := c.take("0"); ok {
		t.Error("first entry still held after the cache passed its bound")
	}
	if data, ok := c.take("3"); !ok || len(data) != len(big) {
		t.Errorf("latest entry: ok=%v len=%d", ok, len(data))
	}
	if _, ok := c.take("3"); ok {
		t.Error("entry taken twice")
	}
	c.put("absent", nil)
	if data, ok := c.take("absent"); !ok || data != nil {
		t.Errorf("absent file: %q, %v", data, ok)
	}
	if c.bytes != 0 {
		t.Errorf("bytes = %d after taking everything", c.bytes)
	}
}
