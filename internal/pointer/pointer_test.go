package pointer

import (
	"strings"
	"testing"

	"github.com/troveproject/trove/internal/key"
)

const helloKey = "SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt"

func mustKey(t *testing.T, s string) key.Key {
	t.Helper()
	k, err := key.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// The expected values are what git-annex 10.20230126 writes (internals §3.1-3.2).
func TestFileAndLinkTarget(t *testing.T) {
	k := mustKey(t, helloKey)
	if got, want := string(File(k)), "/annex/objects/"+helloKey+"\n"; got != want {
		t.Errorf("File = %q, want %q", got, want)
	}
	if got, want := LinkTarget("hello.txt", k, k.HashDirMixed()), ".git/annex/objects/J7/0G/"+helloKey+"/"+helloKey; got != want {
		t.Errorf("LinkTarget = %q, want %q", got, want)
	}
	if got := LinkTarget("sub/dir/x.txt", k, k.HashDirMixed()); !strings.HasPrefix(got, "../../.git/annex/objects/J7/0G/") {
		t.Errorf("nested LinkTarget = %q", got)
	}
	u := mustKey(t, "URL--file:///tmp/exp/webfile.dat")
	if got, want := LinkTarget("web2.dat", u, u.HashDirMixed()), ".git/annex/objects/74/pq/URL--file&c%%%tmp%exp%webfile.dat/URL--file&c%%%tmp%exp%webfile.dat"; got != want {
		t.Errorf("URL LinkTarget = %q, want %q", got, want)
	}
}

func TestParse(t *testing.T) {
	k := mustKey(t, helloKey)
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"/annex/objects/" + helloKey + "\n", true},
		{"/annex/objects/" + helloKey, true},
		{"/annex/objects/" + helloKey + "\r\n", true},
		{"../.git/annex/objects/J7/0G/" + helloKey + "/" + helloKey, true},
		{"/annex/objects/" + helloKey + "\nmore content\n", false},
		{"hello world\n", false},
		{"/annex/objects/not-a-key\n", false},
		{"/annex/objects/" + helloKey + strings.Repeat("\n", MaxSize), false},
	} {
		got, ok := Parse([]byte(c.in))
		if ok != c.ok || (ok && got != k) {
			t.Errorf("Parse(%q) = %v, %v; want ok=%v", c.in, got, ok, c.ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("/annex/objects/" + helloKey + "\n"))
	f.Add([]byte("x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, ok := Parse(data)
		if !ok {
			return
		}
		again, ok := Parse(File(k))
		if !ok || again != k {
			t.Fatalf("pointer of %v does not parse back: %v %v", k, again, ok)
		}
	})
}
