package key

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRoundTrip(t *testing.T) {
	for _, s := range []string{
		"SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt",
		"SHA1-s5--73fc2f9e9a61da6dad1604100be547e6885af8e6",
		"WORM-s5-m1700000000--wdir/my,32file,,,32x.bin",
		"URL--file:///tmp/demo/webfile.dat",
		"SHA256E-s12-S5-C1--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt",
		"GPGHMACSHA1--a11297f06a14bdbbce62ec8264083eb43506f795",
		"XFOO-s3--name-with-dashes",
		"SHA256E-s0--e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.txt",
	} {
		k, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		if got := k.String(); got != s {
			t.Errorf("round trip %q -> %q", s, got)
		}
		back, err := FromFile(k.File())
		if err != nil || back != k {
			t.Errorf("FromFile(File(%q)) = %v, %v", s, back, err)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, s := range []string{
		"", "SHA256", "-s1--x", "SHA256-m1-s1--x", "SHA256-sx--y", "SHA256-q1--x",
		"SHA256-S5--x", "SHA256E--abc." + string(make([]byte, 65)),
		"SHA256-s1--a\nb",
	} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded, want error", s)
		}
	}
}

func TestFields(t *testing.T) {
	k, err := Parse("SHA256E-s12-S5-C2--abc.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := Key{Variety: "SHA256E", Size: 12, HasSize: true, ChunkSize: 5, ChunkNum: 2, Name: "abc.txt"}
	if diff := cmp.Diff(want, k); diff != "" {
		t.Error(diff)
	}
	if k.HashName() != "abc" {
		t.Errorf("HashName = %q", k.HashName())
	}
}

func TestHashDirs(t *testing.T) {
	for _, c := range []struct{ key, mixed, lower string }{
		{"SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt", "J7/0G/", "e7d/d01/"},
		{"SHA256E-s12-S5-C3--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt", "J7/0G/", "e7d/d01/"},
		{"URL--file:///tmp/exp/webfile.dat", "74/pq/", "c4b/1ce/"},
		{"URL-s12--file:///tmp/demo/webfile.dat", "9G/wF/", "5df/a45/"},
		{"SHA256E-s4--17e682f060b5f8e47ea04c5c4855908b0a5ad612022260fe50e11ecb0cc0ab76.txt", "9m/F7/", "6f7/2fe/"},
	} {
		k, err := Parse(c.key)
		if err != nil {
			t.Fatal(err)
		}
		if got := k.HashDirMixed(); got != c.mixed {
			t.Errorf("%s mixed = %s, want %s", c.key, got, c.mixed)
		}
		if got := k.HashDirLower(); got != c.lower {
			t.Errorf("%s lower = %s, want %s", c.key, got, c.lower)
		}
	}
}

func TestFile(t *testing.T) {
	k, _ := Parse("URL--file:///tmp/demo/webfile.dat")
	if got, want := k.File(), "URL--file&c%%%tmp%demo%webfile.dat"; got != want {
		t.Errorf("File = %q, want %q", got, want)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("SHA256E-s12-S5-C1--a948.txt")
	f.Add("WORM-s5-m1700000000--a/b&c%d:e")
	f.Add("URL--http://x/?a=b")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(k.String())
		if err != nil || again != k {
			t.Fatalf("reparse of %q (%q): %v %v", s, k.String(), again, err)
		}
		back, err := FromFile(k.File())
		if err != nil || back != k {
			t.Fatalf("FromFile(File(%q)) = %v, %v", k.String(), back, err)
		}
		_ = k.HashDirMixed()
	})
}
