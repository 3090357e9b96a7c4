package gitcmd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCatFilePipe: many requests in flight (more answer bytes than a pipe
// holds), answered in order, missing names included; Close with answers
// left unread does not hang.
func TestCatFilePipe(t *testing.T) {
	r := newRepo(t)
	ctx := context.Background()
	const n = 300
	want := make([]string, n)
	shas := make([]string, n)
	for i := range want {
		want[i] = fmt.Sprintf("blob %d %0500d\n", i, i)
		writeFile(t, r, fmt.Sprintf("f%d", i), want[i])
	}
	gitIn(t, r.Top, "add", ".")
	gitIn(t, r.Top, "commit", "-q", "-m", "blobs")
	for e, err := range r.LsFilesStage(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		var i int
		if _, err := fmt.Sscanf(e.Path, "f%d", &i); err != nil {
			t.Fatal(err)
		}
		shas[i] = e.SHA
	}
	p, err := r.NewCatFilePipe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, n+1)
	for i := 0; i < n; i++ {
		names = append(names, shas[i])
		if i == n/2 {
			names = append(names, "HEAD:no-such-file")
		}
	}
	var got []string
	err = p.ReadAll(ctx, slices.Values(names), func(name string, obj Object, found bool) error {
		if !found {
			got = append(got, "missing")
			return nil
		}
		got = append(got, string(obj.Data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var exp []string
	for i := 0; i < n; i++ {
		exp = append(exp, want[i])
		if i == n/2 {
			exp = append(exp, "missing")
		}
	}
	if diff := cmp.Diff(exp, got); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}
	// An error from fn stops ReadAll early, with more answers in flight
	// than a pipe holds, and leaves the pipe usable.
	stop := errors.New("stop")
	calls := 0
	err = p.ReadAll(ctx, slices.Values(shas), func(string, Object, bool) error {
		if calls++; calls == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 3 {
		t.Fatalf("ReadAll stopped after %d calls with %v, want 3 and %v", calls, err, stop)
	}
	var again string
	if err := p.ReadAll(ctx, slices.Values(shas[7:8]), func(_ string, obj Object, _ bool) error {
		again = string(obj.Data)
		return nil
	}); err != nil || again != want[7] {
		t.Fatalf("ReadAll after a stop = %q, %v; want %q", again, err, want[7])
	}
	// Unread answers: Close must drain them.
	for i := 0; i < n; i++ {
		if err := p.Send(shas[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
