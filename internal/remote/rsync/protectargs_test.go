package rsync

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
)

// script writes an executable shell script named name into a temporary
// directory and returns its path.
func script(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProtectsArgsProbe(t *testing.T) {
	ctx := context.Background()
	newer := script(t, "rsync-new", "echo ' --old-args               disable the modern arg-protection idiom'\n")
	older := script(t, "rsync-old", "echo ' --protect-args, -s        no space-splitting; wildcard chars only'\n")
	for prog, want := range map[string]bool{
		newer:                                 true,
		older:                                 false,
		filepath.Join(t.TempDir(), "missing"): false,
	} {
		if got := ProtectsArgs(ctx, prog); got != want {
			t.Errorf("ProtectsArgs(%s) = %v, want %v", filepath.Base(prog), got, want)
		}
	}
}

// The probe agrees with the installed rsync's version: 3.2.4 and later
// protect their arguments.
func TestProtectsArgsInstalled(t *testing.T) {
	needRsync(t)
	out, err := exec.Command("rsync", "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`version v?(\d+)\.(\d+)\.(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no version in %q", out)
	}
	v := [3]int{}
	for i := range v {
		v[i], _ = strconv.Atoi(string(m[i+1]))
	}
	want := v[0] > 3 || v[0] == 3 && (v[1] > 2 || v[1] == 2 && v[2] >= 4)
	if got := ProtectsArgs(context.Background(), ""); got != want {
		t.Errorf("rsync %d.%d.%d: ProtectsArgs = %v, want %v", v[0], v[1], v[2], got, want)
	}
}

// A host:path remote with the default shellescape works with the
// installed rsync, whichever it is, as it does with git-annex: the
// transport stands in for ssh, running the remote command through a
// shell on this machine. The conformance suite stores keys with odd
// names (spaces, quotes, shell characters).
func TestConformanceRemoteShell(t *testing.T) {
	needRsync(t)
	// ssh runs its command words joined by spaces through the user's shell.
	fakeSSH := script(t, "fakessh", "shift\nexec sh -c \"$*\"\n")
	remotetest.Run(t, func(t *testing.T) remote.Remote {
		return open(t, "localhost:"+t.TempDir(), map[string]string{"remote.rs.annex-rsync-transport": fakeSSH})
	}, remotetest.Options{Size: 50_000, Large: -1})
}
