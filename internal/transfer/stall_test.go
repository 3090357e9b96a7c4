package transfer

import (
	"testing"
	"time"
)

func TestParseStallDetection(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want StallDetection
	}{
		{"", StallDetection{Mode: StallUnset}},
		{"true", StallDetection{Mode: StallProbe}},
		{"false", StallDetection{Mode: StallOff}},
		{"10KiB/30s", StallDetection{Mode: StallRate, MinBytes: 10240, Period: 30 * time.Second}},
		{"1MB/1m30s", StallDetection{Mode: StallRate, MinBytes: 1000000, Period: 90 * time.Second}},
		{"100/1h", StallDetection{Mode: StallRate, MinBytes: 100, Period: time.Hour}},
		{"1kB/20", StallDetection{Mode: StallRate, MinBytes: 1000, Period: 20 * time.Second}},
	} {
		got, err := ParseStallDetection(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseStallDetection(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"fast", "10KiB", "10KiB/", "10KiB/30x", "/30s"} {
		if got, err := ParseStallDetection(bad); err == nil {
			t.Errorf("ParseStallDetection(%q) = %+v, want an error", bad, got)
		}
	}
}

func FuzzParseStallDetection(f *testing.F) {
	for _, s := range []string{"10KiB/30s", "true", "1MB/1m30s", "x/y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sd, err := ParseStallDetection(s)
		if err == nil && sd.Mode == StallRate && sd.Period < 0 {
			t.Fatalf("%q: negative period %v", s, sd.Period)
		}
	})
}
