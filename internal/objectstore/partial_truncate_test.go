package objectstore

import (
	"context"
	"testing"
)

// A chunked remote resuming at a chunk boundary cuts off the bytes of the
// chunk it stopped in, which may be wrong, and writes from there.
func TestPartialTruncateRehashesKeptPrefix(t *testing.T) {
	s, _ := newStore(t, Options{})
	const content = "hello world\n"
	p := openPartial(t, s, content)
	write(t, p, "hello wXYZ")
	if err := p.Truncate(5); err != nil {
		t.Fatal(err)
	}
	if p.Offset() != 5 {
		t.Fatalf("Offset after Truncate(5) = %d", p.Offset())
	}
	write(t, p, " world\n")
	if err := p.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertObject(t, s, content)
}

func TestPartialTruncateBounds(t *testing.T) {
	s, _ := newStore(t, Options{})
	p := openPartial(t, s, "hello world\n")
	write(t, p, "hello")
	if err := p.Truncate(6); err == nil {
		t.Error("Truncate past Offset succeeded")
	}
	if err := p.Truncate(-1); err == nil {
		t.Error("Truncate(-1) succeeded")
	}
	if err := p.Truncate(0); err != nil || p.Offset() != 0 {
		t.Errorf("Truncate(0): %v, offset %d", err, p.Offset())
	}
	write(t, p, "hello world\n")
	if err := p.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertObject(t, s, "hello world\n")
	if err := p.Truncate(0); err == nil {
		t.Error("Truncate of a committed Partial succeeded")
	}
}
