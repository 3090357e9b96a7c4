package crypto

import (
	"bytes"
	"runtime"
	"testing"
)

// TestSmallMessageAllocation: encrypting and decrypting a small message
// reuses the big buffers (copy, partial-body, buffered-reader) across
// messages instead of allocating about a MiB each time, which dominated
// the cost of many small encrypted keys.
func TestSmallMessageAllocation(t *testing.T) {
	pass := []byte("a cipher of the remote")
	plain := bytes.Repeat([]byte("small key content\n"), 100)
	var enc, dec bytes.Buffer
	roundTrip := func() {
		enc.Reset()
		dec.Reset()
		if err := EncryptSymmetric(&enc, bytes.NewReader(plain), pass); err != nil {
			t.Fatal(err)
		}
		if err := DecryptSymmetric(&dec, bytes.NewReader(enc.Bytes()), pass); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(dec.Bytes(), plain) {
			t.Fatal("round trip changed the content")
		}
	}
	roundTrip() // fill the pools
	const n = 50
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		roundTrip()
	}
	runtime.ReadMemStats(&after)
	perMessage := (after.TotalAlloc - before.TotalAlloc) / n
	t.Logf("%d bytes allocated per round trip", perMessage)
	if perMessage > 128<<10 {
		t.Errorf("%d bytes allocated per small message round trip, want at most %d", perMessage, 128<<10)
	}
}
