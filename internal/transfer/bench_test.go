package transfer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/troveproject/trove/internal/clock"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/objectstore"
)

// BenchmarkDownloadSmall downloads 10,000 keys of 2 KiB each per iteration
// from a directory-backed fake remote through Parallel with 8 jobs,
// with git-annex's default stall probe running, and reports ns/key.
// "fsync" commits each object durably, "syncfs" defers to one Engine.Sync.
func BenchmarkDownloadSmall(b *testing.B) {
	for _, deferSync := range []bool{false, true} {
		name := "fsync"
		if deferSync {
			name = "syncfs"
		}
		b.Run(name, func(b *testing.B) { benchmarkDownloadSmall(b, deferSync) })
	}
}

func benchmarkDownloadSmall(b *testing.B, deferSync bool) {
	const n, size = 10000, 2048
	ctx := context.Background()
	rm := newFakeRemote(b)
	keys := make([]key.Key, n)
	for i := range keys {
		data := make([]byte, size)
		copy(data, strconv.Itoa(i))
		keys[i] = rm.put(b, string(data))
	}
	b.SetBytes(n * size)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		annex := filepath.Join(b.TempDir(), ".git", "annex")
		s := objectstore.Open(annex, objectstore.Options{})
		e := New(s, Options{AnnexDir: annex, Clock: clock.System(), DeferSync: deferSync})
		b.StartTimer()
		err := Parallel(ctx, 8, slices.Values(keys), func(ctx context.Context, k key.Key) {
			if err := e.Download(ctx, rm, k, "f", nil); err != nil {
				b.Error(err)
			}
		})
		if err == nil {
			err = e.Sync(ctx)
		}
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		os.RemoveAll(filepath.Dir(annex))
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/key")
}
