package rsync

import (
	"bytes"
	"context"
	"os/exec"
	"sync"
)

// protectsArgs caches ProtectsArgs by program.
var protectsArgs sync.Map // program -> bool

// ProtectsArgs reports whether the rsync program protects the file names
// it passes to a remote shell itself, as rsync 3.2.4 and later do: then a
// remote-shell path must not be shell-quoted again, or rsync looks for a
// file whose name has the quotes in it. Like git-annex (10.20220504 and
// later), it asks `PROG --help` whether --old-args (the option that turns
// the protection off) exists, rather than parsing versions. A program
// that cannot be run does not protect anything. The answer is kept for
// the life of the process; it is safe for concurrent use.
func ProtectsArgs(ctx context.Context, prog string) bool {
	if prog == "" {
		prog = "rsync"
	}
	if v, ok := protectsArgs.Load(prog); ok {
		return v.(bool)
	}
	out, _ := exec.CommandContext(ctx, prog, "--help").Output()
	v := bytes.Contains(out, []byte("--old-args"))
	if ctx.Err() == nil {
		protectsArgs.Store(prog, v)
	}
	return v
}
