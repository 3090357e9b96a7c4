package main

import (
	"context"
	"os"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/troveproject/trove/internal/testutil"
)

// cmdWebDAVServer is `webdavserver DIR`: it serves DIR over WebDAV on
// 127.0.0.1 (rclone serve webdav) until the script ends, and sets
// DAVURL (no trailing slash), DAVUSER and DAVPASS. Without rclone it
// fails: scripts guard it with `[!exec:rclone] skip` (testscript cannot
// skip from a command), and under CI the webdav package's tests fail
// when rclone is missing.
func cmdWebDAVServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: webdavserver DIR")
	}
	dir := ts.MkAbs(args[0])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		ts.Fatalf("webdavserver: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := testutil.StartWebDAV(ctx, dir, "annex", "dav-pass")
	if err != nil {
		ts.Fatalf("webdavserver: %v", err)
	}
	ts.Defer(func() {
		if err := s.Stop(); err != nil {
			ts.Logf("webdavserver: %v", err)
		}
	})
	ts.Setenv("DAVURL", s.URL)
	ts.Setenv("DAVUSER", s.User)
	ts.Setenv("DAVPASS", s.Password)
}
