package objectstore

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"
)

// bigContent is content large enough for ReadFrom's overlapped hashing.
func bigContent(seed uint64) string {
	b := make([]byte, overlapMin+3*readBufSize+12345)
	r := rand.New(rand.NewPCG(seed, seed))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return string(b)
}

// TestPartialReadFrom: small and large content (hashed inline and in a
// second goroutine), read in ragged pieces, commits and verifies.
func TestPartialReadFrom(t *testing.T) {
	for _, content := range []string{"small content\n", bigContent(1)} {
		s, _ := newStore(t, Options{})
		p := openPartial(t, s, content)
		n, err := p.ReadFrom(iotest.HalfReader(strings.NewReader(content)))
		if err != nil || n != int64(len(content)) || p.Offset() != n {
			t.Fatalf("ReadFrom = %d, %v (offset %d), want %d", n, err, p.Offset(), len(content))
		}
		if err := p.Commit(context.Background()); err != nil {
			t.Fatalf("Commit after ReadFrom of %d bytes: %v", len(content), err)
		}
		assertObject(t, s, content)
	}
}

// TestPartialReadFromBadContent: a large content that differs in its last
// byte fails verification.
func TestPartialReadFromBadContent(t *testing.T) {
	s, _ := newStore(t, Options{})
	content := bigContent(2)
	p := openPartial(t, s, content)
	bad := []byte(content)
	bad[len(bad)-1]++
	if _, err := p.ReadFrom(bytes.NewReader(bad)); err != nil {
		t.Fatal(err)
	}
	var bc *BadContentError
	if err := p.Commit(context.Background()); !errors.As(err, &bc) {
		t.Fatalf("Commit of wrong content = %v, want a BadContentError", err)
	}
}

// TestPartialReadFromInterrupted: a read error midway keeps what was
// written; a resumed Partial completes it.
func TestPartialReadFromInterrupted(t *testing.T) {
	s, _ := newStore(t, Options{})
	content := bigContent(3)
	p := openPartial(t, s, content)
	half := int64(len(content) / 2)
	boom := errors.New("connection lost")
	r := io.MultiReader(strings.NewReader(content[:half]), iotest.ErrReader(boom))
	if n, err := p.ReadFrom(r); !errors.Is(err, boom) || n != half {
		t.Fatalf("ReadFrom = %d, %v; want %d, %v", n, err, half, boom)
	}
	p.Close()
	p = openPartial(t, s, content)
	if p.Offset() != half {
		t.Fatalf("resumed at %d, want %d", p.Offset(), half)
	}
	if _, err := p.ReadFrom(strings.NewReader(content[half:])); err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertObject(t, s, content)
}
