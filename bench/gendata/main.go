// Command gendata writes benchmark input for bench/bench.sh: many small files
// or one big file of pseudo-random bytes, fast (one process, buffered
// writes) and reproducible (the same seed gives the same bytes).
//
// Usage:
//
//	gendata -small DIR -n 10000 [-min 1024] [-max 4096] [-per-dir 100] [-seed 1]
//	gendata -big FILE -mib 1024 [-seed 1]
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var (
		small  = flag.String("small", "", "directory to fill with small files")
		n      = flag.Int("n", 10000, "number of small files")
		minSz  = flag.Int("min", 1024, "smallest small file, bytes")
		maxSz  = flag.Int("max", 4096, "largest small file, bytes")
		perDir = flag.Int("per-dir", 100, "small files per subdirectory")
		big    = flag.String("big", "", "big file to write")
		mib    = flag.Int64("mib", 1024, "size of the big file, MiB")
		seed   = flag.Uint64("seed", 1, "seed of the pseudo-random content")
	)
	flag.Parse()
	if err := run(*small, smallSpec{N: *n, Min: *minSz, Max: *maxSz, PerDir: *perDir}, *big, *mib<<20, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gendata:", err)
		os.Exit(1)
	}
}

func run(small string, spec smallSpec, big string, bigSize int64, seed uint64) error {
	if small == "" && big == "" {
		return fmt.Errorf("nothing to do: give -small DIR and/or -big FILE")
	}
	if small != "" {
		if err := writeSmall(small, spec, seed); err != nil {
			return err
		}
	}
	if big != "" {
		return writeBig(big, bigSize, seed)
	}
	return nil
}
