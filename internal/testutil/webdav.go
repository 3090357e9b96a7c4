package testutil

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// WebDAVServer is a running `rclone serve webdav` on 127.0.0.1, serving
// Dir with basic authentication as User/Password.
type WebDAVServer struct {
	// URL is the server's root, "http://127.0.0.1:PORT" (no trailing slash).
	URL      string
	User     string
	Password string
	// Dir is the directory the server stores files in.
	Dir string

	cmd  *exec.Cmd
	done chan error
}

// webdavStarted is rclone's log line once it listens; it names the port
// it picked for --addr 127.0.0.1:0.
var webdavStarted = regexp.MustCompile(`WebDav Server started on (http://127\.0\.0\.1:[0-9]+)/`)

// StartWebDAV starts rclone (found on PATH) serving dir over WebDAV on a
// free port of 127.0.0.1, and returns once the server answers HTTP
// requests. It returns an error wrapping exec.ErrNotFound when rclone is
// not installed. The caller must call Stop. Cancelling ctx stops waiting
// for the start (not the server).
func StartWebDAV(ctx context.Context, dir, user, password string) (*WebDAVServer, error) {
	bin, err := exec.LookPath("rclone")
	if err != nil {
		return nil, fmt.Errorf("webdav test server: %w", err)
	}
	cmd := exec.Command(bin, "serve", "webdav", "--addr", "127.0.0.1:0",
		"--user", user, "--pass", password, "--config", os.DevNull, dir)
	cmd.Env = append(os.Environ(), "RCLONE_CONFIG="+os.DevNull)
	logs, err := cmd.StderrPipe()
	if err != nil {
		return nil, fmt.Errorf("webdav test server: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("webdav test server: start %s: %w", bin, err)
	}
	s := &WebDAVServer{User: user, Password: password, Dir: dir, cmd: cmd, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(logs)
		var tail []string
		for sc.Scan() {
			if m := webdavStarted.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
			tail = append(tail, sc.Text())
		}
		_, _ = io.Copy(io.Discard, logs)
		err := cmd.Wait()
		if err == nil {
			err = errors.New("exited")
		}
		s.done <- fmt.Errorf("%w: %s", err, strings.Join(tail, "\n"))
		close(addr)
	}()
	select {
	case u, ok := <-addr:
		if !ok {
			return nil, fmt.Errorf("webdav test server: rclone stopped before listening: %w", <-s.done)
		}
		s.URL = u
	case <-ctx.Done():
		_ = s.Stop()
		return nil, fmt.Errorf("webdav test server: waiting for rclone to listen: %w", ctx.Err())
	}
	if err := s.waitAnswers(ctx); err != nil {
		_ = s.Stop()
		return nil, err
	}
	return s, nil
}

// waitAnswers polls the server until it answers an HTTP request (any
// status), or ctx ends, or the process exits.
func (s *WebDAVServer) waitAnswers(ctx context.Context) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodOptions, s.URL+"/", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("webdav test server at %s does not answer: %w", s.URL, ctx.Err())
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("webdav test server at %s exited: %w", s.URL, err)
		case <-tick.C:
		}
	}
}

// Stop kills the server by its PID and waits for it to exit. It is
// idempotent.
func (s *WebDAVServer) Stop() error {
	if s.cmd.Process == nil {
		return nil
	}
	if err := s.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stop webdav test server (pid %d): %w", s.cmd.Process.Pid, err)
	}
	err := <-s.done
	s.done <- err
	return nil
}

// WebDAV starts a WebDAV server for t with its own data directory, user
// "annex" and a password, and stops it when t ends. Without rclone it
// skips the test, or fails it when the environment variable CI is set
// (CI installs rclone).
func WebDAV(t testing.TB) *WebDAVServer {
	t.Helper()
	dir := filepath.Join(TempDir(t), "dav")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := StartWebDAV(ctx, dir, "annex", "s3cret-pass")
	if errors.Is(err, exec.ErrNotFound) {
		if os.Getenv("CI") != "" {
			t.Fatalf("testutil: rclone is required under CI (apt-get install rclone): %v", err)
		}
		t.Skipf("testutil: rclone is not installed (apt-get install rclone); skipping because CI is unset")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Error(err)
		}
	})
	return s
}
