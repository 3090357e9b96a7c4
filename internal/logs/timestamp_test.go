package logs

import (
	"testing"
	"time"
)

func mustTS(t testing.TB, s string) Timestamp {
	t.Helper()
	ts, err := ParseTimestamp(s)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestTimestampParseFormat(t *testing.T) {
	for _, tc := range []struct{ in, out string }{
		// Forms written by git-annex 10.20230126 (internals §4.1 and our captures).
		{"1795211088.55406722s", "1795211088.55406722s"},
		{"1795211070.529281762s", "1795211070.529281762s"},
		{"1795211134.3196019s", "1795211134.3196019s"},
		{"1700000000.000000001001s", "1700000000.000000001001s"},
		{"1700000000s", "1700000000s"},
		{"-1.5s", "-1.5s"},
		// Accepted on input.
		{"1317929189", "1317929189s"},
		{"1317929189.157237s", "1317929189.157237s"},
		{"1.50000", "1.5s"},
		{"1.0", "1s"},
		{"+2s", "2s"},
		{"-0.5", "0.5s"}, // git-annex: "-0" is not negative, the fraction is added
		{"1.1234567890129", "1.123456789012s"},
	} {
		if got := mustTS(t, tc.in).String(); got != tc.out {
			t.Errorf("ParseTimestamp(%q).String() = %q, want %q", tc.in, got, tc.out)
		}
	}
	for _, bad := range []string{"", "s", "1.", "1.s", "1ss", "x1", "1 ", ".5", "--1", "99999999999999999999"} {
		if ts, err := ParseTimestamp(bad); err == nil {
			t.Errorf("ParseTimestamp(%q) = %v, want error", bad, ts)
		}
	}
}

func TestTimestampOrder(t *testing.T) {
	ordered := []Timestamp{Unknown, mustTS(t, "-1.5"), mustTS(t, "-1"), mustTS(t, "0"), mustTS(t, "0.000000000001"), mustTS(t, "1700000000"), mustTS(t, "1700000000.5")}
	for i := range ordered {
		for j := range ordered {
			want := cmpInt(int64(i), int64(j))
			if got := ordered[i].Compare(ordered[j]); got != want {
				t.Errorf("Compare(%v, %v) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
	if Unknown.String() != "0" || Unknown.IsKnown() {
		t.Errorf("Unknown = %q known=%v", Unknown.String(), Unknown.IsKnown())
	}
}

func TestTimestampArithmetic(t *testing.T) {
	if got := mustTS(t, "-1.5").AddSecond().String(); got != "-0.5s" {
		t.Errorf("-1.5 + 1s = %s", got)
	}
	if got := mustTS(t, "1700000000.000000001").AddPicosecond().String(); got != "1700000000.000000001001s" {
		t.Errorf("AddPicosecond = %s", got)
	}
	if got := Unknown.AddPicosecond().String(); got != "0s" {
		t.Errorf("Unknown.AddPicosecond = %s", got)
	}
	tm := time.Unix(1795211088, 554067220)
	ts := FromTime(tm)
	if ts.String() != "1795211088.55406722s" || !ts.Time().Equal(tm) {
		t.Errorf("FromTime = %s, back %v", ts, ts.Time())
	}
}

func TestAdvance(t *testing.T) {
	now := mustTS(t, "1700000000")
	for _, tc := range []struct {
		prev []string
		want string
	}{
		{nil, "1700000000s"},
		{[]string{"1699999999.9"}, "1700000000s"},
		{[]string{"1700000000"}, "1700000001s"},                   // equal: one second past it
		{[]string{"1700000000.5", "1600000000"}, "1700000001.5s"}, // newest of prev + 1s
	} {
		var prev []Timestamp
		for _, p := range tc.prev {
			prev = append(prev, mustTS(t, p))
		}
		if got := Advance(now, prev...).String(); got != tc.want {
			t.Errorf("Advance(now, %v) = %s, want %s", tc.prev, got, tc.want)
		}
	}
	if got := Advance(now, Unknown); got != now {
		t.Errorf("Advance past Unknown = %v", got)
	}
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"1795211088.55406722s", "-1.5s", "1317929189", "-0.000000000001", "1.1234567890129"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := ParseTimestamp(s)
		if err != nil {
			return
		}
		out := ts.String()
		ts2, err := ParseTimestamp(out)
		if err != nil || ts2 != ts || ts2.String() != out {
			t.Fatalf("%q -> %q -> %v (%v)", s, out, ts2, err)
		}
	})
}
