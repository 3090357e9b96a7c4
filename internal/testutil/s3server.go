package testutil

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// MinIOEnvVar names an environment variable that, when set, is the path of
// the MinIO server binary the S3 tests start, instead of a search of PATH
// and $HOME/.cache/trove-ci/bin (where .ci/run installs it).
const MinIOEnvVar = "TROVE_TEST_MINIO"

// S3 test server credentials: MinIO wants a secret of 8 characters or more.
const (
	S3AccessKey = "troveaccess"
	S3SecretKey = "trovesecret123"
)

// S3Server is a MinIO server on 127.0.0.1 serving its own temporary
// directory, started by StartS3Server and stopped by Stop.
type S3Server struct {
	// Host is "127.0.0.1" and Port the port the server listens on.
	Host string
	Port int
	// AccessKey and SecretKey are the root credentials the server accepts.
	AccessKey, SecretKey string

	cmd  *exec.Cmd
	done chan error
}

// Endpoint is the server's base URL, "http://127.0.0.1:PORT".
func (s *S3Server) Endpoint() string { return "http://" + s.Addr() }

// Addr is the server's "127.0.0.1:PORT".
func (s *S3Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// FindMinIO returns the MinIO binary to run: $TROVE_TEST_MINIO, else
// "minio" on PATH, else $HOME/.cache/trove-ci/bin/minio. It returns an
// error naming the install command when there is none.
func FindMinIO() (string, error) {
	if p := os.Getenv(MinIOEnvVar); p != "" {
		if isExecutable(p) {
			return p, nil
		}
		return "", fmt.Errorf("$%s=%s is not an executable", MinIOEnvVar, p)
	}
	if p, err := exec.LookPath("minio"); err == nil {
		return p, nil
	}
	if home, err := os.UserHomeDir(); err == nil {
		p := filepath.Join(home, ".cache", "trove-ci", "bin", "minio")
		if isExecutable(p) {
			return p, nil
		}
	}
	return "", errors.New("no MinIO server binary (install it with `bash .ci/run`, or `GOBIN=$HOME/.cache/trove-ci/bin go install github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c`, or set $" + MinIOEnvVar + ")")
}

// StartS3Server starts MinIO on a free 127.0.0.1 port with its data in
// dir (which must exist) and waits until its health endpoint answers.
// The caller must call Stop. It is not bound to a test, so that testscript
// commands can use it too; tests use S3Test.
func StartS3Server(ctx context.Context, dir string) (*S3Server, error) {
	bin, err := FindMinIO()
	if err != nil {
		return nil, err
	}
	var last error
	// A port taken between our probe and MinIO's bind makes MinIO exit;
	// try a few ports before giving up.
	for range 3 {
		s, err := startMinIO(ctx, bin, dir)
		if err == nil {
			return s, nil
		}
		last = err
	}
	return nil, last
}

func startMinIO(ctx context.Context, bin, dir string) (*S3Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &S3Server{Host: "127.0.0.1", Port: port, AccessKey: S3AccessKey, SecretKey: S3SecretKey, done: make(chan error, 1)}
	s.cmd = exec.Command(bin, "server", "--quiet", "--address", s.Addr(), filepath.Join(dir, "data"))
	s.cmd.Env = append(os.Environ(),
		"MINIO_ROOT_USER="+s.AccessKey,
		"MINIO_ROOT_PASSWORD="+s.SecretKey,
		"MINIO_BROWSER=off",
		"MINIO_UPDATE=off",
		"MINIO_CI_CD=1",
	)
	logf, err := os.Create(filepath.Join(dir, "minio.log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		log, _ := os.ReadFile(filepath.Join(dir, "minio.log"))
		return nil, fmt.Errorf("MinIO on %s: %w\n%s", s.Addr(), err, log)
	}
	return s, nil
}

// waitReady polls MinIO until its readiness endpoint answers 200 and its
// S3 API no longer answers 503 (MinIO reports ready a moment before its
// IAM and bucket metadata are initialised), the process exits, or 60
// seconds pass (a loaded CI machine is slow).
func (s *S3Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if s.answers(ctx, "/minio/health/ready", func(code int) bool { return code == http.StatusOK }) &&
			s.answers(ctx, "/", func(code int) bool { return code != http.StatusServiceUnavailable }) {
			return nil
		}
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("server exited before it was ready: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("server not ready: %w", ctx.Err())
		case <-tick.C:
		}
	}
}

// answers reports whether a GET of path gets a status ok accepts.
func (s *S3Server) answers(ctx context.Context, path string, ok func(int) bool) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.Endpoint()+path, nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return ok(resp.StatusCode)
}

// Stop kills the server process (by its PID, nothing else) and waits for
// it to exit. It is idempotent.
func (s *S3Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	err := <-s.done
	s.done <- err
}

// freePort returns a port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// S3Test starts a MinIO server for t and stops it when t ends. When there
// is no MinIO binary it skips t, unless the environment variable CI is set:
// then the test fails, since CI installs MinIO.
func S3Test(t testing.TB) *S3Server {
	t.Helper()
	if _, err := FindMinIO(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("testutil: an S3 server is required and CI is set: %v", err)
		}
		t.Skipf("testutil: %v; skipping because CI is unset", err)
	}
	s, err := StartS3Server(context.Background(), t.TempDir())
	if err != nil {
		t.Fatalf("testutil: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}
