package annexcli

import (
	"bytes"
	"testing"

	"github.com/troveproject/trove/internal/ui"
)

// TestSyncSummary checks git-annex's one summary line for sync: failed
// steps, gets and copies count; failed drops of unwanted content do not.
func TestSyncSummary(t *testing.T) {
	for _, tc := range []struct {
		name    string
		steps   int
		failed  []ui.Failure
		want    string
		counted int
	}{
		{"none", 0, nil, "", 0},
		{"drops only", 0, []ui.Failure{{Command: "drop", Count: 2}}, "", 0},
		{"mixed", 1, []ui.Failure{{Command: "get", Count: 1}, {Command: "drop", Count: 2}, {Command: "copy", Count: 1}}, "sync: 3 failed\n", 3},
		{"steps only", 2, nil, "sync: 2 failed\n", 2},
	} {
		var stdout, stderr bytes.Buffer
		s := &syncSummary{Renderer: ui.NewAnnexHuman(&stdout, &stderr, false, nil), command: "sync", steps: tc.steps}
		if err := s.Close(tc.failed); err != nil {
			t.Fatalf("%s: Close: %v", tc.name, err)
		}
		if stderr.String() != tc.want || s.counted != tc.counted {
			t.Errorf("%s: summary %q counted %d, want %q and %d", tc.name, stderr.String(), s.counted, tc.want, tc.counted)
		}
	}
}
