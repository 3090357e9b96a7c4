package annexbranch

import (
	"context"
	"os/exec"
	"testing"

	"github.com/troveproject/trove/internal/gitcmd"
)

// benchBranch is a repository whose branch has n location logs.
func benchBranch(b *testing.B, n int) *gitcmd.Repo {
	b.Helper()
	b.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	dir := b.TempDir()
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		b.Fatalf("git init: %v\n%s", err, out)
	}
	writeBranch(b, dir, locationFiles(n), "")
	r, err := gitcmd.Discover(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkGet10k reads 10,000 location logs one Get at a time; the
// figure is per file.
func BenchmarkGet10k(b *testing.B) {
	const n = 10000
	r := benchBranch(b, n)
	br := Open(r, nil)
	defer br.Close()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if data, err := br.Get(ctx, logPath(i%n)); err != nil || data == nil {
			b.Fatalf("Get: %q, %v", data, err)
		}
	}
}

// BenchmarkPipeline10k reads 10,000 location logs through a Pipeline with
// 256 requests in flight; the figure is per file.
func BenchmarkPipeline10k(b *testing.B) {
	const n = 10000
	r := benchBranch(b, n)
	br := Open(r, nil)
	defer br.Close()
	ctx := context.Background()
	pl, err := br.NewPipeline(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer pl.Close()
	b.ResetTimer()
	pending := make(chan Pending, 256)
	go func() {
		defer close(pending)
		for i := 0; i < b.N; i++ {
			pd, err := pl.Request(ctx, logPath(i%n))
			if err != nil {
				b.Error(err)
				return
			}
			pending <- pd
		}
	}()
	for pd := range pending {
		if data, err := pl.Result(pd); err != nil || data == nil {
			b.Fatalf("Result: %q, %v", data, err)
		}
	}
}

// BenchmarkGetByRefPath10k is the old read path, for comparison: each
// file asked for as "refs/heads/git-annex:PATH", which makes git resolve
// the ref and parse the whole root tree every time.
func BenchmarkGetByRefPath10k(b *testing.B) {
	const n = 10000
	r := benchBranch(b, n)
	br := Open(r, nil)
	defer br.Close()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if data, err := br.getCommitted(ctx, Ref+":"+logPath(i%n)); err != nil || data == nil {
			b.Fatalf("get: %q, %v", data, err)
		}
	}
}
