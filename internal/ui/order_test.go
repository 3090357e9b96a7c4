package ui

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// runOrdered has n items run concurrently in a Sequence, finishing in the
// reverse of their order, and returns what the git-annex human renderer
// printed.
func runOrdered(t *testing.T, n int, fail func(i int) bool) (string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	o := NewOutput(NewAnnexHuman(&stdout, &stderr, false, nil), nil)
	seq := o.Sequence(n)
	ctx := context.Background()
	turns := make([]*Turn, n)
	for i := range n {
		tn, err := seq.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		turns[i] = tn
	}
	var wg sync.WaitGroup
	release := make([]chan struct{}, n)
	for i := range n {
		release[i] = make(chan struct{})
	}
	for i := range n {
		wg.Go(func() {
			<-release[i]
			ictx := WithTurn(ctx, turns[i])
			task := o.BeginIn(ictx, Action{Command: "get", File: string(rune('a' + i))})
			task.Note("from origin...")
			if fail(i) {
				o.WarnIn(ictx, "trouble with "+string(rune('a'+i)))
			}
			task.End(!fail(i), nil)
			turns[i].Done()
			if i > 0 {
				close(release[i-1])
			}
		})
	}
	close(release[n-1]) // the last item runs first
	wg.Wait()
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	return stdout.String() + stderr.String(), o.Failed()
}

func TestSequenceRendersInTurnOrder(t *testing.T) {
	got, failed := runOrdered(t, 3, func(i int) bool { return i == 1 })
	want := "get a (from origin...) ok\nget b (from origin...) \nfailed\nget c (from origin...) ok\n  trouble with b\nget: 1 failed\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	if failed != 1 {
		t.Errorf("Failed() = %d, want 1", failed)
	}
}

func TestSequenceWindowBlocksNext(t *testing.T) {
	var out bytes.Buffer
	o := NewOutput(NewAnnexJSON(&out, &out, false, false), nil)
	seq := o.Sequence(1)
	first, err := seq.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := seq.Next(ctx); err == nil {
		t.Fatal("Next with a full window returned a turn")
	}
	first.Done()
	if _, err := seq.Next(context.Background()); err != nil {
		t.Fatalf("Next after Done: %v", err)
	}
}

// With --json-error-messages, a held-back task's warnings still land in
// its record's error-messages: they are collected when rendered.
func TestSequenceKeepsErrorMessages(t *testing.T) {
	var stdout, stderr bytes.Buffer
	o := NewOutput(NewAnnexJSON(&stdout, &stderr, false, true), nil)
	seq := o.Sequence(2)
	ctx := context.Background()
	first, err := seq.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second, err := seq.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	late := o.BeginIn(WithTurn(ctx, second), Action{Command: "get", File: "b"})
	late.Warn("trouble with b")
	late.End(false, nil)
	second.Done()
	early := o.BeginIn(WithTurn(ctx, first), Action{Command: "get", File: "a"})
	early.End(true, nil)
	first.Done()
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"file":"a"`) {
		t.Fatalf("records out of order or missing:\n%s", stdout.String())
	}
	if !strings.Contains(lines[1], `"error-messages":["  trouble with b"]`) {
		t.Errorf("held-back record lost its error message: %s", lines[1])
	}
}
