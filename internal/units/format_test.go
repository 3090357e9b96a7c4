package units

import "testing"

// Captured from git-annex 10.20230126:
// git annex examinekey --format='${humansize}' SHA256E-sN--x
func TestHumanSizeMatchesExaminekey(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0 B"}, {1, "1 B"}, {4, "4 B"}, {999, "999 B"}, {1000, "1 kB"},
		{1001, "1 kB"}, {1005, "1 kB"}, {1015, "1.01 kB"}, {1025, "1.02 kB"},
		{1234, "1.23 kB"}, {1500, "1.5 kB"}, {9995, "9.99 kB"}, {9999, "10 kB"},
		{10000, "10 kB"}, {12345, "12.35 kB"}, {99999, "100 kB"},
		{999499, "999.5 kB"}, {999500, "999.5 kB"}, {999999, "1000 kB"},
		{1000000, "1 MB"}, {1234567, "1.23 MB"}, {1999999, "2 MB"},
		{12345678901, "12.35 GB"}, {1000000000000, "1 TB"},
		{999999999999999999, "1000 PB"},
	} {
		if got := HumanSize(tc.n); got != tc.want {
			t.Errorf("HumanSize(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// Captured from `git annex info --json FILE` ("size") and repository info.
func TestLongSizeMatchesInfo(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"}, {1, "1 byte"}, {2, "2 bytes"}, {13, "13 bytes"},
		{1000, "1 kilobyte"}, {1500, "1.5 kilobytes"}, {2000000, "2 megabytes"},
	} {
		if got := LongSize(tc.n); got != tc.want {
			t.Errorf("LongSize(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	// "bloom filter size":"32 mebibytes" uses the committee units.
	if got := RoughSize(Committee, false, 32<<20); got != "32 mebibytes" {
		t.Errorf("RoughSize(Committee, 32MiB) = %q", got)
	}
}

func TestRoughSizeNegative(t *testing.T) {
	if got := HumanSize(-1500); got != "-1.5 kB" {
		t.Errorf("HumanSize(-1500) = %q", got)
	}
	if got := HumanSize(-1 << 63); got != "-9.22 EB" {
		t.Errorf("HumanSize(MinInt64) = %q", got)
	}
}

func TestShowImprecise(t *testing.T) {
	for _, tc := range []struct {
		p    int
		v    float64
		want string
	}{
		{2, 1.999, "2"}, {2, 1.05, "1.05"}, {0, 2.5, "2"}, {0, 3.5, "4"}, {1, 0.25, "0.2"},
	} {
		if got := ShowImprecise(tc.p, tc.v); got != tc.want {
			t.Errorf("ShowImprecise(%d, %v) = %q, want %q", tc.p, tc.v, got, tc.want)
		}
	}
}
