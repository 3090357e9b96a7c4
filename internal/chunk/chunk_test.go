package chunk

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
)

// Chunk keys as git-annex 10.20230126 stored them in directory remotes
// (find on the remote directories after `git annex copy --to`), with the
// chunk log lines it wrote (UUID:CHUNKSIZE COUNT).
var gitAnnexChunks = []struct {
	key       string
	chunkSize int64
	chunks    []string
	lens      []int64
}{
	{"SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt", 5, []string{
		"SHA256E-s12-S5-C1--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt",
		"SHA256E-s12-S5-C2--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt",
		"SHA256E-s12-S5-C3--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt",
	}, []int64{5, 5, 2}},
	{"SHA256E-s10--84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882.txt", 5, []string{
		"SHA256E-s10-S5-C1--84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882.txt",
		"SHA256E-s10-S5-C2--84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882.txt",
	}, []int64{5, 5}},
	{"SHA256E-s0--e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.dat", 5, []string{
		"SHA256E-s0-S5-C1--e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.dat",
	}, []int64{0}},
	{"SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt", 1048576, []string{
		"SHA256E-s12-S1048576-C1--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt",
	}, []int64{12}},
	{"SHA256E-s2500000--73ead69b9c6e8cff46d32b2485c580e6366d0caf003bd90a9e2733f4fc1419ee.bin", 1048576, []string{
		"SHA256E-s2500000-S1048576-C1--73ead69b9c6e8cff46d32b2485c580e6366d0caf003bd90a9e2733f4fc1419ee.bin",
		"SHA256E-s2500000-S1048576-C2--73ead69b9c6e8cff46d32b2485c580e6366d0caf003bd90a9e2733f4fc1419ee.bin",
		"SHA256E-s2500000-S1048576-C3--73ead69b9c6e8cff46d32b2485c580e6366d0caf003bd90a9e2733f4fc1419ee.bin",
	}, []int64{1048576, 1048576, 402848}},
	{"WORM-s12-m1795222207--w.txt", 4, []string{
		"WORM-s12-m1795222207-S4-C1--w.txt",
		"WORM-s12-m1795222207-S4-C2--w.txt",
		"WORM-s12-m1795222207-S4-C3--w.txt",
	}, []int64{4, 4, 4}},
}

func TestKeysMatchGitAnnex(t *testing.T) {
	for _, g := range gitAnnexChunks {
		k, err := key.Parse(g.key)
		if err != nil {
			t.Fatal(err)
		}
		n := Count(k.Size, g.chunkSize)
		var got []string
		var lens []int64
		var off int64
		for i, ck := range Keys(k, g.chunkSize, n) {
			got = append(got, ck.String())
			lens = append(lens, Len(k.Size, g.chunkSize, int64(i)+1))
			if Offset(ck) != off {
				t.Errorf("Offset(%s) = %d, want %d", ck, Offset(ck), off)
			}
			off += lens[i]
			if ck.HashDirLower() != k.HashDirLower() {
				t.Errorf("%s: chunk in hash dir %s, git-annex put it in %s", ck, ck.HashDirLower(), k.HashDirLower())
			}
		}
		if diff := cmp.Diff(g.chunks, got); diff != "" {
			t.Errorf("Keys(%s, %d) (-git-annex +ours):\n%s", g.key, g.chunkSize, diff)
		}
		if diff := cmp.Diff(g.lens, lens); diff != "" {
			t.Errorf("chunk lengths of %s (-git-annex +ours):\n%s", g.key, diff)
		}
		if off != k.Size {
			t.Errorf("%s: chunks add up to %d bytes", g.key, off)
		}
	}
}

func TestCountAndLen(t *testing.T) {
	for _, c := range []struct{ size, cs, n int64 }{
		{0, 1, 1}, {1, 1, 1}, {2, 1, 2}, {4, 5, 1}, {5, 5, 1}, {6, 5, 2}, {1 << 40, 1 << 20, 1 << 20}, {1<<40 + 1, 1 << 20, 1<<20 + 1},
	} {
		if got := Count(c.size, c.cs); got != c.n {
			t.Errorf("Count(%d, %d) = %d, want %d", c.size, c.cs, got, c.n)
		}
		var sum int64
		for i := int64(1); i <= c.n; i++ {
			l := Len(c.size, c.cs, i)
			if l > c.cs || (i < c.n && l != c.cs) || (c.size > 0 && l == 0) {
				t.Errorf("Len(%d, %d, %d) = %d", c.size, c.cs, i, l)
			}
			sum += l
		}
		if sum != c.size {
			t.Errorf("chunks of %d in %d add up to %d", c.size, c.cs, sum)
		}
	}
	if l := Len(12, 5, 4); l != 0 {
		t.Errorf("Len past the end = %d, want 0", l)
	}
}

func TestOffsetOfWholeKey(t *testing.T) {
	k, _ := key.Parse(gitAnnexChunks[0].key)
	if Offset(k) != 0 {
		t.Errorf("Offset of an unchunked key = %d", Offset(k))
	}
}

func TestStable(t *testing.T) {
	for s, want := range map[string]bool{
		"SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt": true,
		"MD5-s3--acbd18db4cc2f85cedef654fccc4a4d8":                                          true,
		"BLAKE2B256E-s1--00":                    true,
		"WORM-s12-m1795222207--w.txt":           true,
		"URL--http&c%%example.com%x":            false,
		"URL-s10--http&c%%example.com%x":        false,
		"XFOO-s3--abc":                          false,
		"NOSUCHBACKEND-s3--abc":                 false,
		"SHA256E-s12-S5-C1--a948904f2f0f47.txt": false,
	} {
		k, err := key.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := Stable(k); got != want {
			t.Errorf("Stable(%s) = %v, want %v", s, got, want)
		}
	}
}

// The settings git-annex 10.20230126 accepted at initremote and what its
// `info` showed for them ("chunking: ..."), or the error `copy --to` gave.
func TestParseConfigMatchesGitAnnex(t *testing.T) {
	for _, c := range []struct {
		field, value string
		want         Config
		info         string
	}{
		{"chunk", "5b", Config{Fixed, 5}, "5 bytes chunks"},
		{"chunk", "4B", Config{Fixed, 4}, "4 bytes chunks"},
		{"chunk", "0", Config{}, "none"},
		{"chunk", "1kb", Config{Fixed, 1000}, "1 kilobyte chunks"},
		{"chunk", "1KiB", Config{Fixed, 1024}, "1.02 kilobytes chunks"},
		{"chunk", "1Kib", Config{Fixed, 1024}, "1.02 kilobytes chunks"},
		{"chunk", "1.5k", Config{Fixed, 1500}, "1.5 kilobytes chunks"},
		{"chunk", "2 MiB", Config{Fixed, 2 << 20}, "2.1 megabytes chunks"},
		{"chunk", "10mi", Config{Fixed, 10 << 20}, "10.49 megabytes chunks"},
		{"chunk", "1MiB", Config{Fixed, 1 << 20}, "1.05 megabytes chunks"},
		{"chunksize", "5b", Config{Legacy, 5}, "5 bytes chunks (old style)"},
	} {
		got, err := ParseConfig(map[string]string{"type": "directory", c.field: c.value})
		if err != nil {
			t.Errorf("%s=%s: %v", c.field, c.value, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s=%s: got %+v, want %+v", c.field, c.value, got, c.want)
		}
		if d := got.Describe(); d != c.info {
			t.Errorf("%s=%s: info %q, git-annex shows %q", c.field, c.value, d, c.info)
		}
	}
	for _, v := range []string{"abc", "-5", "1bit", "8bit", ""} {
		_, err := ParseConfig(map[string]string{"chunk": v})
		if !errors.Is(err, ErrBadConfig) || err.Error() != "bad configuration chunk="+v {
			t.Errorf("chunk=%s: error %v, want git-annex's %q", v, err, "bad configuration chunk="+v)
		}
	}
}

func TestParseConfigPrecedence(t *testing.T) {
	got, err := ParseConfig(map[string]string{"chunk": "5", "chunksize": "7"})
	if err != nil || got != (Config{Legacy, 7}) {
		t.Errorf("chunk and chunksize: %+v, %v; git-annex uses chunksize", got, err)
	}
	got, err = ParseConfig(map[string]string{"encryption": "none"})
	if err != nil || got != (Config{}) || got.Describe() != "none" {
		t.Errorf("no chunk settings: %+v, %v", got, err)
	}
	// chunksize=0 is no chunking even when chunk= asks for it.
	got, err = ParseConfig(map[string]string{"chunk": "5", "chunksize": "0"})
	if err != nil || got != (Config{}) {
		t.Errorf("chunksize=0: %+v, %v", got, err)
	}
}

func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{"5b", "0", "1.5k", "2 MiB", "-5", "abc", "1e3", "1bit"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, v string, legacy bool) {
		field := Field
		if legacy {
			field = LegacyField
		}
		c, err := ParseConfig(map[string]string{field: v})
		if err != nil {
			if !errors.Is(err, ErrBadConfig) || !strings.HasSuffix(err.Error(), field+"="+v) {
				t.Fatalf("error %q does not name %s=%s", err, field, v)
			}
			return
		}
		if (c.Kind == None) != (c.Size == 0) || c.Size < 0 {
			t.Fatalf("%s=%q: inconsistent %+v", field, v, c)
		}
		if c.Kind != None && (c.Kind == Legacy) != legacy {
			t.Fatalf("%s=%q: kind %v", field, v, c.Kind)
		}
		if c.Describe() == "" {
			t.Fatal("empty description")
		}
	})
}
