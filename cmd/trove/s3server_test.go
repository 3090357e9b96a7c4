package main

import (
	"context"
	"os"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/troveproject/trove/internal/testutil"
)

// cmdS3Server is the testscript command `s3server`: it starts a MinIO
// server on a fresh 127.0.0.1 port with its data under $WORK/.s3, stops
// it (by PID) when the script ends, and sets $S3_HOST, $S3_PORT,
// $AWS_ACCESS_KEY_ID and $AWS_SECRET_ACCESS_KEY. Without a MinIO binary
// it fails: testscript cannot skip from a command, so scripts guard it
// with `[!exec:minio] skip` (.ci/run puts the MinIO it builds on PATH,
// so under CI the scripts run).
func cmdS3Server(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: s3server")
	}
	dir := ts.MkAbs(".s3")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		ts.Fatalf("s3server: %v", err)
	}
	srv, err := testutil.StartS3Server(context.Background(), dir)
	if err != nil {
		ts.Fatalf("s3server: %v", err)
	}
	ts.Defer(srv.Stop)
	ts.Setenv("S3_HOST", srv.Host)
	ts.Setenv("S3_PORT", strconv.Itoa(srv.Port))
	ts.Setenv("AWS_ACCESS_KEY_ID", srv.AccessKey)
	ts.Setenv("AWS_SECRET_ACCESS_KEY", srv.SecretKey)
}
