package backend

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkHashFile hashes a 256 MiB file with SHA256E; b.SetBytes makes
// `go test -bench` report MB/s.
func BenchmarkHashFile(b *testing.B) {
	const size = 256 << 20
	p := filepath.Join(b.TempDir(), "big.bin")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	chunk := goldenInput(1 << 20)
	for i := 0; i < size/len(chunk); i++ {
		if _, err := f.Write(chunk); err != nil {
			b.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		if _, err := HashFile(ctx, p, Default(), DefaultMaxExtensionLength); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHash measures each hash function on 1 MiB writes in memory.
func BenchmarkHash(b *testing.B) {
	in := goldenInput(1 << 20)
	for _, be := range all {
		if !be.IsHash() || be.HasExtension() {
			continue
		}
		b.Run(be.Name(), func(b *testing.B) {
			h := be.NewHash()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				h.Write(in)
			}
		})
	}
}
