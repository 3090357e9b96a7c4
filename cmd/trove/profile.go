package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startCPUProfile writes a CPU profile of the whole run to the file named by
// TROVE_CPUPROFILE, when set; the returned function stops it. Profiling is
// for developers measuring the binary (see bench/bench.sh), so failures are
// reported on stderr and otherwise ignored.
func startCPUProfile() (stop func()) {
	path := os.Getenv("TROVE_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "trove: TROVE_CPUPROFILE=%s: %v\n", path, err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
