package crypto

import (
	"crypto/sha1" //nolint:gosec // the S2K's hash
	"encoding"
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// stdSHA1Blocks compresses the blocks of p into h with crypto/sha1: a
// digest's marshalled state is "sha\x01", h, the 64-byte buffer and the
// length, so one with any h and a whole number of blocks hashed so far can
// be made, fed, and read back.
func stdSHA1Blocks(t testing.TB, h *[5]uint32, p []byte) {
	t.Helper()
	d := sha1.New()
	state, err := d.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if len(state) != 4+20+64+8 || string(state[:4]) != "sha\x01" {
		t.Fatalf("crypto/sha1's marshalled state changed: %x", state)
	}
	for i, v := range h {
		binary.BigEndian.PutUint32(state[4+4*i:], v)
	}
	binary.BigEndian.PutUint64(state[4+20+64:], 64<<20) // some whole blocks
	if err := d.(encoding.BinaryUnmarshaler).UnmarshalBinary(state); err != nil {
		t.Fatal(err)
	}
	d.Write(p)
	if state, err = d.(encoding.BinaryMarshaler).MarshalBinary(); err != nil {
		t.Fatal(err)
	}
	for i := range h {
		h[i] = binary.BigEndian.Uint32(state[4+4*i:])
	}
}

// TestStdSHA1Blocks: the reference itself, from SHA-1's initial state,
// gives crypto/sha1's sum of a message padded by hand.
func TestStdSHA1Blocks(t *testing.T) {
	msg := []byte("abc")
	padded := append(append(msg, 0x80), make([]byte, 64-len(msg)-1-8)...)
	padded = binary.BigEndian.AppendUint64(padded, uint64(len(msg))*8)
	h := sha1Init
	stdSHA1Blocks(t, &h, padded)
	var got [20]byte
	for i, v := range h {
		binary.BigEndian.PutUint32(got[4*i:], v)
	}
	if want := sha1.Sum(msg); got != want {
		t.Errorf("got %x, want %x", got, want)
	}
}

func randState(rng *rand.Rand) [5]uint32 {
	var h [5]uint32
	for i := range h {
		h[i] = rng.Uint32()
	}
	return h
}

func randBytes(rng *rand.Rand, n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(rng.Uint32())
	}
	return p
}

// TestSHA1Blocks2: both states, started apart, end where crypto/sha1
// takes them, for random messages of 1 to 200 blocks (and ignore a
// partial block); so does sha1Block alone.
func TestSHA1Blocks2(t *testing.T) {
	t.Logf("SHA extensions used: %v", haveSHA1x2)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 5, 16, 63, 64, 127, 200} {
		for range 3 {
			pa := randBytes(rng, 64*n+rng.IntN(64))
			pb := randBytes(rng, len(pa))
			a, b := randState(rng), randState(rng)
			wantA, wantB := a, b
			stdSHA1Blocks(t, &wantA, pa[:64*n])
			stdSHA1Blocks(t, &wantB, pb[:64*n])
			gotA, gotB := a, b
			sha1Blocks2(&gotA, &gotB, pa, pb)
			if diff := cmp.Diff([2][5]uint32{wantA, wantB}, [2][5]uint32{gotA, gotB}); diff != "" {
				t.Errorf("sha1Blocks2, %d blocks (-want +got):\n%s", n, diff)
			}
			gotA = a
			sha1Block(&gotA, pa)
			if diff := cmp.Diff(wantA, gotA); diff != "" {
				t.Errorf("sha1Block, %d blocks (-want +got):\n%s", n, diff)
			}
		}
	}
}

// TestSHA1Blocks2Same: the same message into both states gives each
// its own result (no cross-talk between the interleaved streams), and
// an empty message changes neither.
func TestSHA1Blocks2Same(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	p := randBytes(rng, 64*7)
	a, b := sha1Init, randState(rng)
	wantA, wantB := a, b
	stdSHA1Blocks(t, &wantA, p)
	stdSHA1Blocks(t, &wantB, p)
	sha1Blocks2(&a, &b, p, p)
	if diff := cmp.Diff([2][5]uint32{wantA, wantB}, [2][5]uint32{a, b}); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	sha1Blocks2(&a, &b, p[:63], p[:63])
	if diff := cmp.Diff([2][5]uint32{wantA, wantB}, [2][5]uint32{a, b}); diff != "" {
		t.Errorf("partial block hashed (-want +got):\n%s", diff)
	}
}

// BenchmarkSHA1Blocks2 hashes two 64 KiB messages; SetBytes counts both.
func BenchmarkSHA1Blocks2(b *testing.B) {
	pa, pb := make([]byte, 64<<10), make([]byte, 64<<10)
	var ha, hb [5]uint32
	b.SetBytes(int64(len(pa) + len(pb)))
	for b.Loop() {
		sha1Blocks2(&ha, &hb, pa, pb)
	}
}

// FuzzSHA1Blocks2: any two states and messages give crypto/sha1's
// results; pb is pa rotated by one byte, as iterSHA1's second stream is.
func FuzzSHA1Blocks2(f *testing.F) {
	f.Add(uint64(0), make([]byte, 64))
	f.Add(uint64(1)<<63|12345, make([]byte, 64*5+3))
	f.Fuzz(func(t *testing.T, seed uint64, pa []byte) {
		rng := rand.New(rand.NewPCG(seed, ^seed))
		a, b := randState(rng), randState(rng)
		pb := append(append([]byte(nil), pa[min(1, len(pa)):]...), pa[:min(1, len(pa))]...)
		n := len(pa) / 64 * 64
		wantA, wantB := a, b
		stdSHA1Blocks(t, &wantA, pa[:n])
		stdSHA1Blocks(t, &wantB, pb[:n])
		sha1Blocks2(&a, &b, pa, pb)
		if diff := cmp.Diff([2][5]uint32{wantA, wantB}, [2][5]uint32{a, b}); diff != "" {
			t.Errorf("%d bytes (-want +got):\n%s", len(pa), diff)
		}
	})
}
