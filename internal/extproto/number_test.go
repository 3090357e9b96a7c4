package extproto

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"1024", 1024, true},
		{"  42", 42, true},
		{"-5", -5, true},
		{"12abc", 12, true},
		{"12 34", 12, true},
		{"0x1f", 31, true},
		{"0o17", 15, true},
		{"0xg", 0, true},
		{"1.5", 0, false},
		{"1e3", 0, false},
		{"1.", 1, true},
		{"", 0, false},
		{"+5", 0, false},
		{"abc", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, ok := ReadInt(tt.in)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("ReadInt(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestReadFloat(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"150", 150, true},
		{"150.5", 150.5, true},
		{"1e3", 1000, true},
		{"2.5E-1x", 0.25, true},
		{"-1", -1, true},
		{"1.x", 1, true},
		{".5", 0, false},
		{"x", 0, false},
	}
	for _, tt := range tests {
		got, ok := ReadFloat(tt.in)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("ReadFloat(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFormatCost(t *testing.T) {
	// Haskell's show for Double, as git-annex writes remote.NAME.annex-cost.
	tests := map[float64]string{
		200:     "200.0",
		150.5:   "150.5",
		0:       "0.0",
		0.1:     "0.1",
		0.01:    "1.0e-2",
		1e7:     "1.0e7",
		1.5e7:   "1.5e7",
		9999999: "9999999.0",
		-3:      "-3.0",
	}
	for in, want := range tests {
		if got := FormatCost(in); got != want {
			t.Errorf("FormatCost(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestURLMulti(t *testing.T) {
	got := ParseURLMulti("http://a/1 10 one.txt http://a/2 UNKNOWN two.txt http://a/3 5")
	want := []URLSize{{"http://a/1", 10, "one.txt"}, {"http://a/2", -1, "two.txt"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseURLMulti (-want +got):\n%s", diff)
	}
	if s := FormatURLMulti(want); s != "http://a/1 10 one.txt http://a/2 UNKNOWN two.txt" {
		t.Errorf("FormatURLMulti = %q", s)
	}
}
