package gitcmd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// benchBlobs is the workload of the blob-writing benchmarks: 10,000 small
// blobs shaped like location-log lines.
const benchBlobs = 10000

func benchContent(run, i int) []byte {
	return fmt.Appendf(nil, "1700000000.%09ds 1 %08d-0000-4000-8000-000000000000 run %d\n", i, i, run)
}

// BenchmarkBlobWriterFastImport writes through the long-running fast-import
// of BlobWriter (what annexbranch uses).
func BenchmarkBlobWriterFastImport(b *testing.B) {
	r := newRepo(b)
	ctx := context.Background()
	for run := range b.N {
		bw, err := r.NewBlobWriter(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for i := range benchBlobs {
			if _, err := bw.Write(ctx, benchContent(run, i)); err != nil {
				b.Fatal(err)
			}
		}
		if err := bw.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHashObjectStdinPaths is the alternative: temp files plus one
// `git hash-object -w --stdin-paths` (a loose object per blob).
func BenchmarkHashObjectStdinPaths(b *testing.B) {
	r := newRepo(b)
	ctx := context.Background()
	dir := b.TempDir()
	for run := range b.N {
		var paths bytes.Buffer
		for i := range benchBlobs {
			p := filepath.Join(dir, fmt.Sprint(i))
			if err := os.WriteFile(p, benchContent(run, i), 0o644); err != nil {
				b.Fatal(err)
			}
			paths.WriteString(p + "\n")
		}
		if _, err := r.RunInput(ctx, &paths, "hash-object", "-w", "--no-filters", "--stdin-paths"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHashObjectPerBlob is the naive way: one `git hash-object -w
// --stdin` per blob (1,000 blobs per op, a tenth of the others).
func BenchmarkHashObjectPerBlob(b *testing.B) {
	r := newRepo(b)
	ctx := context.Background()
	for run := range b.N {
		for i := range benchBlobs / 10 {
			if _, err := r.RunInput(ctx, bytes.NewReader(benchContent(run, i)), "hash-object", "-w", "--stdin"); err != nil {
				b.Fatal(err)
			}
		}
	}
}
