package clock

import (
	"fmt"
	"testing"
	"time"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestFromEnvVectorClock(t *testing.T) {
	c := FromEnv(env(map[string]string{VectorClockEnv: "1700000000.5"}))
	want := time.Unix(1700000000, 5e8)
	for i := 0; i < 3; i++ {
		if got := c.Now(); !got.Equal(want) {
			t.Fatalf("Now() = %v, want %v", got, want)
		}
	}
}

func TestFromEnvFallsBackToWallClock(t *testing.T) {
	for _, e := range []map[string]string{{}, {VectorClockEnv: "soon"}} {
		c := FromEnv(env(e))
		if _, ok := c.(wall); !ok {
			t.Errorf("FromEnv(%v) = %T, want the wall clock", e, c)
		}
		if c.Now().Year() < 2020 {
			t.Errorf("wall clock reads %v", c.Now())
		}
	}
}

func TestParsePOSIX(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"1700000000", time.Unix(1700000000, 0), true},
		{"1700000000s", time.Unix(1700000000, 0), true},
		{"1795211088.55406722s", time.Unix(1795211088, 554067220), true},
		{"1.0000000019", time.Unix(1, 1), true},
		{"-1.5s", time.Unix(-2, 5e8), true},
		{"-0.5", time.Unix(0, 5e8), true}, // git-annex quirk: -0 is not negative
		{"+3", time.Unix(3, 0), true},
		{"1.", time.Time{}, false},
		{"", time.Time{}, false},
		{"1ss", time.Time{}, false},
		{".5", time.Time{}, false},
		{"99999999999999999999999", time.Time{}, false},
	} {
		got, ok := ParsePOSIX(tc.in)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("ParsePOSIX(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFake(t *testing.T) {
	start := time.Unix(100, 0)
	f := NewFake(start)
	f.Advance(time.Second)
	if got := f.Now(); !got.Equal(start.Add(time.Second)) {
		t.Errorf("after Advance: %v", got)
	}
	f.Set(start)
	if got := f.Now(); !got.Equal(start) {
		t.Errorf("after Set: %v", got)
	}
	if got := Fixed(start).Now(); !got.Equal(start) {
		t.Errorf("Fixed: %v", got)
	}
}

func FuzzParsePOSIX(f *testing.F) {
	for _, s := range []string{"1700000000.5s", "-1.5", "1.", "+0s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		t1, ok := ParsePOSIX(s)
		if !ok {
			return
		}
		// Reformatting through Unix seconds and nanoseconds must parse to the same instant.
		t2, ok := ParsePOSIX(formatUnix(t1))
		if !ok || !t1.Equal(t2) {
			t.Fatalf("%q -> %v -> %q -> %v", s, t1, formatUnix(t1), t2)
		}
	})
}

func formatUnix(t time.Time) string {
	sec, ns := t.Unix(), t.Nanosecond()
	if sec < 0 && ns > 0 {
		return fmt.Sprintf("-%d.%09d", -(sec + 1), 1e9-ns)
	}
	return fmt.Sprintf("%d.%09ds", sec, ns)
}
