package filter

import (
	"context"
	"fmt"
	"os"
	"testing"
)

// helperEnv makes the test binary act as a filter process for real git.
const helperEnv = "TROVE_FILTER_TEST_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		s := &Server{Handler: scriptedHandler{}}
		if err := s.Serve(context.Background(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "filter helper:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
