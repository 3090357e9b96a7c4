package crypto

import (
	"bufio"
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"math/rand/v2"
	"testing"

	kflate "github.com/klauspost/compress/flate"
)

// deflated compresses data with the standard library at level.
func deflated(tb testing.TB, data []byte, level int) []byte {
	tb.Helper()
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, level)
	if err != nil {
		tb.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// inflateSamples are contents of every kind of block: stored
// (incompressible at level 0), fixed (short), dynamic with long and
// overlapping matches, Huffman-only, and random.
func inflateSamples() map[string][]byte {
	rng := rand.New(rand.NewPCG(3, 4))
	random := make([]byte, 300000)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	text := bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog. "), 5000)
	mixed := make([]byte, 0, 400000)
	for len(mixed) < 400000 {
		n := rng.IntN(300)
		if rng.IntN(2) == 0 {
			mixed = append(mixed, random[:n]...)
		} else {
			mixed = append(mixed, bytes.Repeat([]byte{byte(n)}, n)...)
		}
	}
	return map[string][]byte{"empty": nil, "one": {'x'}, "short": []byte("hello, hello, hello"),
		"random": random, "text": text, "mixed": mixed, "zeros": make([]byte, 1<<20)}
}

func TestInflate(t *testing.T) {
	for name, data := range inflateSamples() {
		for _, level := range []int{flate.NoCompression, flate.BestSpeed, flate.DefaultCompression, flate.BestCompression, flate.HuffmanOnly} {
			z := deflated(t, data, level)
			got, err := inflate(nil, z, len(data))
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("%s at level %d: %d bytes, %v", name, level, len(got), err)
			}
			if len(data) > 0 {
				if _, err := inflate(nil, z, len(data)-1); err != errInflateLarge {
					t.Errorf("%s at level %d with one byte less room: %v", name, level, err)
				}
			}
			if len(z) > 2 {
				if _, err := inflate(nil, z[:len(z)-2], len(data)); err == nil {
					t.Errorf("%s at level %d truncated: no error", name, level)
				}
			}
		}
	}
}

// TestInflateGPG inflates what gpg's zlib wrote (8 KiB window, level 6)
// over random content, as in every chunk git-annex encrypts.
func TestInflateGPG(t *testing.T) {
	_, msg, pass := gpgChunk(t, 1<<20)
	var want bytes.Buffer
	if err := DecryptSymmetric(&want, bytes.NewReader(msg), pass); err != nil {
		t.Fatal(err)
	}
	z := gpgDeflate(t, msg, pass)
	got, err := inflate(nil, z, 2<<20)
	if err != nil {
		t.Fatal(err)
	}
	// The literal packet's header and part lengths surround the content.
	if !bytes.Contains(got, want.Bytes()[:1000]) || len(got) < want.Len() {
		t.Errorf("inflated %d bytes, not the %d of content", len(got), want.Len())
	}
	if ref, err := io.ReadAll(flate.NewReader(bytes.NewReader(z))); err != nil || !bytes.Equal(got, ref) {
		t.Errorf("differs from compress/flate (%v)", err)
	}
}

// gpgDeflate returns the deflate stream inside a gpg message.
func gpgDeflate(tb testing.TB, msg, pass []byte) []byte {
	tb.Helper()
	p, err := decryptWhole(bytes.NewReader(msg), pass)
	if err != nil {
		tb.Fatal(err)
	}
	algo, z, ok := compressedBody(p)
	if !ok || algo != 1 {
		tb.Fatalf("gpg wrote no ZIP-compressed packet (algorithm %d)", algo)
	}
	return z
}

func FuzzInflate(f *testing.F) {
	for _, data := range inflateSamples() {
		if len(data) < 5000 {
			f.Add(deflated(f, data, flate.BestSpeed))
			f.Add(deflated(f, data, flate.HuffmanOnly))
		}
	}
	f.Add(deflated(f, bytes.Repeat([]byte("abcabcabd"), 100), flate.BestCompression))
	f.Fuzz(func(t *testing.T, z []byte) {
		ref, rerr := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(z)), 1<<20))
		got, err := inflate(nil, z, 1<<20)
		if (err == nil) != (rerr == nil) && len(ref) < 1<<20 {
			t.Fatalf("inflate error %v, compress/flate error %v", err, rerr)
		}
		if err == nil && rerr == nil && !bytes.Equal(got, ref) {
			t.Fatalf("inflate gives %d bytes, compress/flate %d", len(got), len(ref))
		}
	})
}

// BenchmarkInflate inflates a gpg-compressed 16 MiB chunk of random
// content.
func BenchmarkInflate(b *testing.B) {
	_, msg, pass := gpgChunk(b, 16<<20)
	z := gpgDeflate(b, msg, pass)
	out := make([]byte, 0, 17<<20)
	b.Run("inflate", func(b *testing.B) {
		b.SetBytes(int64(len(z)))
		for b.Loop() {
			if _, err := inflate(out, z, 17<<20); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("klauspost", func(b *testing.B) {
		b.SetBytes(int64(len(z)))
		for b.Loop() {
			r := kflate.NewReader(bufio.NewReaderSize(bytes.NewReader(z), ioBufSize))
			if _, err := io.Copy(io.Discard, r); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// decryptWhole decrypts a passphrase-encrypted message of at most
// wholeMax bytes whole and returns the packets it holds.
func decryptWhole(in io.Reader, passphrase []byte) ([]byte, error) {
	body, err := openEncrypted(bufio.NewReader(in), passphrase, openWholeMDC)
	if err != nil {
		return nil, err
	}
	w, ok := body.(*wholeBody)
	if !ok {
		return nil, errors.New("not a message decrypted whole")
	}
	defer w.release()
	return bytes.Clone(w.b), nil
}
