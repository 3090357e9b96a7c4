package backend

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/troveproject/trove/internal/key"
)

// goldenInput returns the n-byte input the golden keys were computed on.
func goldenInput(n int64) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(7*i + 3)
	}
	return b
}

// readGolden reads testdata/calckey.txt: keys captured with
// `git annex calckey --batch --backend=NAME` from git-annex 10.20230126.
func readGolden(t *testing.T) []key.Key {
	t.Helper()
	f, err := os.Open("testdata/calckey.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var keys []key.Key
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, err := key.Parse(line)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestGoldenDigests(t *testing.T) {
	keys := readGolden(t)
	seen := map[string]bool{}
	for _, want := range keys {
		b, err := Lookup(want.Variety)
		if err != nil {
			t.Fatal(err)
		}
		seen[b.Name()] = true
		h := b.NewHash()
		h.Write(goldenInput(want.Size))
		got := b.KeyFromSum(h.Sum(nil), want.Size, "in/x", DefaultMaxExtensionLength)
		if got != want {
			t.Errorf("%s of %d bytes:\n got %s\nwant %s", b.Name(), want.Size, got, want)
		}
	}
	for _, b := range all {
		if b.IsHash() && !b.HasExtension() && !seen[b.Name()] {
			t.Errorf("no golden digests for %s", b.Name())
		}
	}
}

// TestGoldenSplitWrites feeds the input in uneven pieces, to exercise the
// buffering of every hash (including Sum in the middle, which must not
// disturb the state).
func TestGoldenSplitWrites(t *testing.T) {
	for _, want := range readGolden(t) {
		b, _ := Lookup(want.Variety)
		in := goldenInput(want.Size)
		h := b.NewHash()
		for i, step := 0, 1; i < len(in); step = step*3 + 1 {
			j := min(i+step, len(in))
			h.Write(in[i:j])
			h.Sum(nil)
			i = j
		}
		got := b.KeyFromSum(h.Sum(nil), want.Size, "", DefaultMaxExtensionLength)
		if got.Name != want.Name {
			t.Errorf("%s of %d bytes in pieces: got %s, want %s", b.Name(), want.Size, got.Name, want.Name)
		}
	}
}
