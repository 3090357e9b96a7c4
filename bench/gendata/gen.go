package main

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// smallSpec describes a tree of small files.
type smallSpec struct {
	N, Min, Max, PerDir int
}

// smallPath is the path of small file i relative to the tree's root.
func smallPath(i, perDir int) string {
	return filepath.Join(fmt.Sprintf("d%04d", i/perDir), fmt.Sprintf("f%06d.bin", i))
}

// writeSmall creates dir and spec.N files under it, spec.PerDir per
// subdirectory, each of a size drawn uniformly from [spec.Min, spec.Max].
func writeSmall(dir string, spec smallSpec, seed uint64) error {
	if spec.N < 0 || spec.Min < 0 || spec.Max < spec.Min || spec.PerDir < 1 {
		return fmt.Errorf("bad small-file spec %+v", spec)
	}
	rng := rand.New(rand.NewChaCha8(seedBytes(seed)))
	buf := make([]byte, spec.Max)
	for i := range spec.N {
		p := filepath.Join(dir, smallPath(i, spec.PerDir))
		if i%spec.PerDir == 0 {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return fmt.Errorf("create %s: %w", filepath.Dir(p), err)
			}
		}
		b := buf[:spec.Min+rng.IntN(spec.Max-spec.Min+1)]
		fillRandom(rng, b)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
	}
	return nil
}

// writeBig writes size pseudo-random bytes to path.
func writeBig(path string, size int64, seed uint64) error {
	if size < 0 {
		return fmt.Errorf("bad size %d for %s", size, path)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	_, err = io.CopyN(w, rand.NewChaCha8(seedBytes(seed)), size)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// fillRandom fills b from rng, eight bytes per draw.
func fillRandom(rng *rand.Rand, b []byte) {
	for i := 0; i < len(b); i += 8 {
		v := rng.Uint64()
		for j := i; j < i+8 && j < len(b); j++ {
			b[j] = byte(v)
			v >>= 8
		}
	}
}

// seedBytes expands a number into a ChaCha8 seed.
func seedBytes(seed uint64) [32]byte {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(seed >> (8 * i))
	}
	return s
}
