package main

import (
	"errors"
	"net"
	"net/http"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdHTTPServe is the testscript command `httpserve DIR`: it serves the
// files of DIR (relative to the script's directory) over HTTP on a fresh
// 127.0.0.1 port, with Range support, until the script ends, and sets
// $HTTPURL to the server's base URL (no trailing slash).
func cmdHTTPServe(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: httpserve DIR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ts.Fatalf("httpserve: %v", err)
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(ts.MkAbs(args[0])))}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	ts.Defer(func() {
		srv.Close()
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			ts.Logf("httpserve: %v", err)
		}
	})
	ts.Setenv("HTTPURL", "http://"+ln.Addr().String())
}
