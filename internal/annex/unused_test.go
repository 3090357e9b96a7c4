package annex

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
)

// goldenUnused is a list written by git-annex 10.20230126 (keys ordered
// by name, not by number).
const goldenUnused = "2 SHA256E-s9--15fde3e994331b7182c70784ec48ea9524d327a1d224ba71dde76a53be3888dd.txt 1795219766.32510835s\n" +
	"1 SHA256E-s4--7aa7a5359173d05b63cfd682e3c38487f3cb4f7f1d60659fe59fab1505977d4c.txt 1795219766.32510835s\n"

func TestUnusedLogRoundTrip(t *testing.T) {
	es := ParseUnusedLog([]byte(goldenUnused))
	if len(es) != 2 || es[0].Number != 2 || es[1].Number != 1 {
		t.Fatalf("parsed %+v", es)
	}
	if got := es[0].Since.String(); got != "1795219766.32510835s" {
		t.Errorf("timestamp = %s", got)
	}
	// Written in number order, formatted in git-annex's key order.
	swapped := []UnusedLogEntry{es[1], es[0]}
	if diff := cmp.Diff(goldenUnused, string(FormatUnusedLog(swapped))); diff != "" {
		t.Errorf("format (-want +got):\n%s", diff)
	}
}

func TestParseUnusedLogVariants(t *testing.T) {
	k := "SHA256E-s5--aaaa"
	got := ParseUnusedLog([]byte("3 " + k + "\nx " + k + " 1s\n4 nokey 1s\n-1 " + k + "\n5 " + k + " 7s\n"))
	want := []int{3, 5}
	var nums []int
	for _, e := range got {
		nums = append(nums, e.Number)
		if e.Key.String() != k {
			t.Errorf("key %s", e.Key)
		}
	}
	if diff := cmp.Diff(want, nums); diff != "" {
		t.Errorf("numbers (-want +got):\n%s", diff)
	}
	if got[0].Since.IsKnown() || !got[1].Since.IsKnown() {
		t.Errorf("timestamps %v %v", got[0].Since, got[1].Since)
	}
}

func FuzzParseUnusedLog(f *testing.F) {
	f.Add([]byte(goldenUnused))
	f.Add([]byte("1 WORM-s1-m2--a b 3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		es := ParseUnusedLog(data)
		again := ParseUnusedLog(FormatUnusedLog(es))
		if len(again) != len(es) {
			t.Fatalf("round trip lost entries: %d != %d", len(again), len(es))
		}
		if !bytes.Equal(FormatUnusedLog(again), FormatUnusedLog(es)) {
			t.Fatalf("format not stable")
		}
	})
}

func TestCompareKeysNameFirst(t *testing.T) {
	a, _ := key.Parse("SHA256E-s9--15fde")
	b, _ := key.Parse("SHA256E-s4--7aa7")
	c, _ := key.Parse("SHA256-s4--7aa7")
	if compareKeys(a, b) >= 0 || compareKeys(c, b) >= 0 {
		t.Errorf("order wrong")
	}
}

func TestRefSpec(t *testing.T) {
	refs := []string{"refs/heads/main", "refs/heads/side", "refs/remotes/origin/main", "refs/tags/v1"}
	for _, tc := range []struct {
		spec string
		want []string
	}{
		// git-annex reverses what each item adds.
		{"+*", []string{"refs/tags/v1", "refs/remotes/origin/main", "refs/heads/side", "refs/heads/main"}},
		{"+refs/heads/*", []string{"refs/heads/side", "refs/heads/main"}},
		{"+refs/heads/*:-*/side", []string{"refs/heads/main"}},
		{"+HEAD^:+refs/tags/*", []string{"HEAD^", "refs/tags/v1"}},
		{"+refs/heads/[!m]*", []string{"refs/heads/side"}},
		{"+refs/*/v?", []string{"refs/tags/v1"}},
	} {
		spec, err := ParseRefSpec(tc.spec)
		if err != nil {
			t.Fatalf("%s: %v", tc.spec, err)
		}
		got, err := spec.apply(refs, func() ([]string, error) { return nil, nil })
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.spec, diff)
		}
	}
	if _, err := ParseRefSpec("refs/heads/*"); err == nil || err.Error() != `Parse error bad refspec item "refs/heads/*" (expected + or - prefix)` {
		t.Errorf("bad item: %v", err)
	}
}

func FuzzParseRefSpec(f *testing.F) {
	f.Add("+refs/heads/*:-refs/heads/tmp/*:reflog")
	f.Add("+[a-")
	f.Add("+\xc1*")
	f.Fuzz(func(t *testing.T, s string) {
		spec, err := ParseRefSpec(s)
		if err != nil {
			return
		}
		if _, err := spec.apply([]string{"refs/heads/main", s}, func() ([]string, error) { return nil, nil }); err != nil {
			t.Fatal(err)
		}
	})
}

func TestParseUnusedSpec(t *testing.T) {
	var ls UnusedLists
	ls.lists[UnusedContent] = []UnusedLogEntry{{Number: 1}, {Number: 2}}
	ls.lists[UnusedTmp] = []UnusedLogEntry{{Number: 4}}
	for spec, want := range map[string][]int{"all": {1, 2, 3, 4}, "2-3": {2, 3}, "3-2": nil, "7": {7}} {
		got, err := ls.ParseUnusedSpec(spec)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", spec, diff)
		}
	}
	for _, bad := range []string{"x", "1-x", "", "-1"} {
		if _, err := ls.ParseUnusedSpec(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, l, ok := ls.Lookup(4); !ok || l != UnusedTmp {
		t.Errorf("lookup 4: %v %v", l, ok)
	}
	var empty UnusedLists
	if got, _ := empty.ParseUnusedSpec("all"); got != nil {
		t.Errorf("all of nothing = %v", got)
	}
	_ = logs.Unknown
}
