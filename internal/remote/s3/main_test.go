package s3

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/troveproject/trove/internal/testutil"
)

// shared is the one MinIO server of this package's tests, started by the
// first test that needs it and stopped by TestMain.
var shared struct {
	once sync.Once
	srv  *testutil.S3Server
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.srv != nil {
		shared.srv.Stop()
	}
	if shared.dir != "" {
		_ = os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// s3Server returns the shared server. Without a MinIO binary it skips the
// test, or fails it when CI is set (testutil.S3Test's rule).
func s3Server(t testing.TB) *testutil.S3Server {
	t.Helper()
	if _, err := testutil.FindMinIO(); err != nil {
		return testutil.S3Test(t) // skips or fails as the rule says
	}
	shared.once.Do(func() {
		if shared.dir, shared.err = os.MkdirTemp("", "trove-s3-test-"); shared.err != nil {
			return
		}
		shared.srv, shared.err = testutil.StartS3Server(context.Background(), shared.dir)
	})
	if shared.err != nil {
		t.Fatalf("S3 test server: %v", shared.err)
	}
	return shared.srv
}
