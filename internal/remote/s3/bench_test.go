package s3

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// BenchmarkStoreSmall stores small objects from 8 goroutines, as
// `copy --to -J8` of many small files does.
func BenchmarkStoreSmall(b *testing.B) {
	srv := s3Server(b)
	setCreds(b, srv)
	r, _ := initRemote(b, testCfg(srv.Addr(), newBucket(), "v2"), uuid.New())
	p := filepath.Join(b.TempDir(), "small")
	if err := os.WriteFile(p, []byte("small file content\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	src := remote.Source{Path: p, Size: -1}
	var n atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			k := key.Key{Variety: "WORM", Size: 19, HasSize: true, Name: fmt.Sprint("small-", n.Add(1))}
			if err := r.Store(context.Background(), k, src, progress.Discard); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkStoreMultipart uploads 64 MiB in 8 MiB parts; b.SetBytes makes
// the result a rate.
func BenchmarkStoreMultipart(b *testing.B) {
	srv := s3Server(b)
	setCreds(b, srv)
	cfg := testCfg(srv.Addr(), newBucket(), "v4")
	cfg["partsize"] = "8MiB"
	r, _ := initRemote(b, cfg, uuid.New())
	const size = 64 << 20
	p := filepath.Join(b.TempDir(), "big")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.SetBytes(size)
	b.ResetTimer()
	for i := range b.N {
		k := key.Key{Variety: "WORM", Size: size, HasSize: true, Name: fmt.Sprint("big-", i)}
		if err := r.Store(context.Background(), k, remote.Source{Path: p, Size: -1}, progress.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
