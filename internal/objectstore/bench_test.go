package objectstore

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/fsutil"
)

// BenchmarkIngestMoveSmall adds 10,000 files of 2 KiB each per iteration.
func BenchmarkIngestMoveSmall(b *testing.B) {
	const n, size = 10000, 2048
	ctx := context.Background()
	b.SetBytes(n * size)
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		s := Open(filepath.Join(dir, ".git/annex"), Options{})
		paths := make([]string, n)
		for i := range paths {
			data := make([]byte, size)
			copy(data, strconv.Itoa(i))
			paths[i] = filepath.Join(dir, "f"+strconv.Itoa(i)+".dat")
			if err := os.WriteFile(paths[i], data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		for _, p := range paths {
			if _, err := s.IngestMove(ctx, p, backend.Default(), filepath.Base(p), 4); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkIngestMoveLarge adds one 1 GiB file per iteration. Set
// TROVE_BENCH_FILE to use an existing file (it is restored after each
// iteration; it must be on the same file system as the test's temporary directory), e.g. to compare with `openssl dgst -sha256`.
func BenchmarkIngestMoveLarge(b *testing.B) {
	const size = 1 << 30
	ctx := context.Background()
	dir := b.TempDir()
	orig := os.Getenv("TROVE_BENCH_FILE")
	if orig == "" {
		orig = filepath.Join(dir, "orig")
		f, err := os.Create(orig)
		if err != nil {
			b.Fatal(err)
		}
		buf := make([]byte, 1<<20)
		for i := range size / len(buf) {
			buf[0] = byte(i)
			if _, err := f.Write(buf); err != nil {
				b.Fatal(err)
			}
		}
		f.Close()
	}
	fi, err := os.Stat(orig)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	for b.Loop() {
		b.StopTimer()
		repo := filepath.Join(b.TempDir(), "r")
		os.MkdirAll(repo, 0o755)
		src := filepath.Join(repo, "big.bin")
		if err := os.Rename(orig, src); err != nil {
			b.Fatal(err)
		}
		s := Open(filepath.Join(repo, ".git/annex"), Options{})
		b.StartTimer()
		k, err := s.IngestMove(ctx, src, backend.Default(), "big.bin", 4)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		// Move the content back for the next iteration.
		p, _, _ := s.Find(k)
		if err := fsutil.ThawDir(filepath.Dir(p)); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(p, orig); err != nil {
			b.Fatal(err)
		}
		os.Chmod(orig, 0o644)
		s.Close()
		b.StartTimer()
	}
}
