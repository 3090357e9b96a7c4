package gitcmd

import (
	"context"
	"fmt"
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
	done := make(chan error, 1)
	go func() {
		for _, name := range names {
			if err := p.Send(name); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	var got []string
	for _, name := range names {
		obj, found, err := p.Receive(name)
		if err != nil {
			t.Fatal(err)
		}
		if !found {
			got = append(got, "missing")
			continue
		}
		got = append(got, string(obj.Data))
	}
	if err := <-done; err != nil {
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
