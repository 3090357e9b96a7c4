package crypto

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/troveproject/trove/internal/key"
)

// fixtureRemotes reads testdata/gitannex/remote.log: config by name=.
func fixtureRemotes(t *testing.T) map[string]map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "gitannex", "remote.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		cfg := map[string]string{}
		for _, field := range strings.Fields(sc.Text())[1:] {
			k, v, _ := strings.Cut(field, "=")
			cfg[k] = v
		}
		out[cfg["name"]] = cfg
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func mustKey(t *testing.T, s string) key.Key {
	t.Helper()
	k, err := key.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// The content git-annex stored in every fixture remote.
var fixtureContent = map[string]string{
	"SHA256E-s12--7509e5bda0c762d2bac7f90d758b5b2263fa01ccbc542ab5e3df163be08e6ca9.txt": "hello world!",
	"SHA256E-s2--fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603.dat":  "ab",
}

// TestGitAnnexObjects opens each fixture remote's cipher from its
// remote.log config, checks that the encrypted key names Trove computes
// are the files git-annex wrote, and decrypts them.
func TestGitAnnexObjects(t *testing.T) {
	remotes := fixtureRemotes(t)
	cases := []struct {
		name   string
		scheme Scheme
		mac    MAC
		gpg    bool
	}{
		{"dshared", Shared, HMACSHA256, false},
		{"dchunk", Shared, HMACSHA1, false},
		{"dhybrid", Hybrid, HMACSHA1, true},
		{"dpub", PubKey, HMACSHA1, true},
		{"dspub", SharedPubKey, HMACSHA1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s, err := ParseSettings(remotes[tc.name])
			if err != nil {
				t.Fatal(err)
			}
			if s.Scheme != tc.scheme || s.MAC != tc.mac {
				t.Fatalf("settings %+v, want scheme %s mac %s", s, tc.scheme, tc.mac)
			}
			var g *GPG
			if tc.gpg || tc.scheme.macOnly() {
				g = testGPG(t)
			}
			c, err := Open(ctx, s, g)
			if err != nil {
				t.Fatal(err)
			}
			wantLen := 685
			if tc.scheme == PubKey {
				wantLen = 345
			}
			if n := len(c.Cipher().Bytes()); n != wantLen {
				t.Errorf("cipher string is %d bytes, want %d", n, wantLen)
			}
			dir := filepath.Join("testdata", "gitannex", tc.name)
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			var onDisk []string
			for _, e := range entries {
				onDisk = append(onDisk, e.Name())
			}
			var computed []string
			for ks, content := range fixtureContent {
				k := mustKey(t, ks)
				pieces := []key.Key{k}
				if tc.name == "dchunk" {
					pieces = nil
					for n := int64(1); (n-1)*5 < k.Size; n++ {
						pieces = append(pieces, k.Chunk(5, n))
					}
				}
				var plain bytes.Buffer
				for _, p := range pieces {
					ek := c.EncryptKey(p)
					computed = append(computed, ek.String())
					obj, err := os.ReadFile(filepath.Join(dir, ek.File()))
					if err != nil {
						t.Fatalf("%s: git-annex stored no object under the name Trove computes: %v", p, err)
					}
					if err := c.Decrypt(ctx, &plain, bytes.NewReader(obj)); err != nil {
						t.Fatalf("%s: %v", p, err)
					}
				}
				if plain.String() != content {
					t.Errorf("%s decrypted to %q, want %q", ks, plain.String(), content)
				}
			}
			if diff := cmp.Diff(onDisk, slices.Sorted(slices.Values(computed))); diff != "" {
				t.Errorf("object names (-git-annex +Trove):\n%s", diff)
			}
		})
	}
}

func TestWrongCipherDoesNotDecrypt(t *testing.T) {
	remotes := fixtureRemotes(t)
	s, err := ParseSettings(remotes["dshared"])
	if err != nil {
		t.Fatal(err)
	}
	other, err := GenerateCipher(Shared)
	if err != nil {
		t.Fatal(err)
	}
	c := &Crypter{settings: s, cipher: other}
	obj, err := os.ReadFile(filepath.Join("testdata", "gitannex", "dshared",
		"GPGHMACSHA256--e941aa2b46ed397197b154cc512e7b89d5e5f2bb45889f93874844f6e3167bf2"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Decrypt(context.Background(), &bytes.Buffer{}, bytes.NewReader(obj)); !errors.Is(err, ErrDecrypt) {
		t.Errorf("decrypting with another cipher: %v, want ErrDecrypt", err)
	}
}
