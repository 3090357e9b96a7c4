package logs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTieBreaking(t *testing.T) {
	// uuid/map logs: of equally new lines the later wins (verified by
	// injecting journal files into git-annex, internals §4.1).
	u := ParseUUIDLog([]byte("u1 first timestamp=5s\nu1 second timestamp=5s\nu1 older timestamp=4s\n"))
	if got := u["u1"].Value; got != "second" {
		t.Errorf("uuid log tie: %q", got)
	}
	m := ParseMapLog([]byte("5s f first\n5s f second\n"))
	if got := m["f"].Value; got != "second" {
		t.Errorf("map log tie: %q", got)
	}
	// presence logs: the earlier line wins.
	for content, want := range map[string]Status{"5s 1 U\n5s 0 U\n": Present, "5s 0 U\n5s 1 U\n": Missing, "4s 1 U\n5s 0 U\n5s 1 U\n": Missing} {
		if got := CurrentPresence(ParsePresence([]byte(content)))["U"].Status; got != want {
			t.Errorf("presence %q: %c, want %c", content, got, want)
		}
	}
	// single-value logs: the greater value wins a tie.
	if e, _ := ParseCopiesLog([]byte("5s 3\n5s 2\n4s 9\n")); e.Value != 3 {
		t.Errorf("numcopies tie: %d", e.Value)
	}
	// Unknown timestamps lose to any known one.
	if got := ParseUUIDLog([]byte("u1 new timestamp=0s\nu1 old value\n"))["u1"].Value; got != "new" {
		t.Errorf("unknown timestamp won: %q", got)
	}
}

func TestLenientParsing(t *testing.T) {
	in := "\r\n5s 1 A\r\ngarbage\n6s 9 B\n\n\r7s 0 C\rx y z\n8s 1"
	want := []PresenceLine{{mustTS(t, "5"), Present, "A"}, {mustTS(t, "7"), Missing, "C"}}
	if diff := cmp.Diff(want, ParsePresence([]byte(in)), cmp.AllowUnexported(Timestamp{})); diff != "" {
		t.Errorf("ParsePresence (-want +got):\n%s", diff)
	}
	u := ParseUUIDLog([]byte("u1 has spaces  inside timestamp=1s\nu2 timestamp=bogus\nu3\nu4  timestamp=2s\n"))
	got := map[string]string{}
	for k, e := range u {
		got[string(k)] = e.Value + "@" + e.TS.String()
	}
	wantU := map[string]string{"u1": "has spaces  inside@1s", "u2": "timestamp=bogus@0", "u3": "@0", "u4": "@2s"}
	if diff := cmp.Diff(wantU, got); diff != "" {
		t.Errorf("ParseUUIDLog (-want +got):\n%s", diff)
	}
	// Lines with an Unknown timestamp are written back without one.
	if got := string(FormatUUIDLog(u)); got != "u1 has spaces  inside timestamp=1s\nu2 timestamp=bogus\nu3 \nu4  timestamp=2s\n" {
		t.Errorf("FormatUUIDLog = %q", got)
	}
	tr := ParseTrustLog([]byte("a 1 timestamp=1s\nb ? timestamp=1s\nc Z timestamp=1s\nd 11 timestamp=1s\ne timestamp=1s\n"))
	gotT := map[string]TrustLevel{}
	for k, e := range tr {
		gotT[string(k)] = e.Value
	}
	if diff := cmp.Diff(map[string]TrustLevel{"a": Trusted, "b": SemiTrusted, "c": SemiTrusted, "e": Trusted}, gotT); diff != "" {
		t.Errorf("ParseTrustLog (-want +got):\n%s", diff)
	}
	ch := ParseChunkLog([]byte("1s u:5 3\n1s u:5x 3\n1s u:x 1\n1s u:10 -1\n1s u:10 2\n"))
	if len(ch) != 3 || ch[ChunkField{UUID: "u", Size: 5}].Value != 3 || ch[ChunkField{UUID: "u", Unknown: true, Other: "x"}].Value != 1 {
		t.Errorf("ParseChunkLog = %v", ch)
	}
	// Chunk sizes sort numerically, unknown methods last.
	if got := string(chunkLog.formatLog(ch)); got != "1s u:5 3\n1s u:10 2\n1s u:x 1\n" {
		t.Errorf("chunk log order: %q", got)
	}
	ex := ParseExportLog([]byte("1s a:b t1 t2\n1s c:d t3 \n1s e:f t4  t5\n1s :g t6\n"))
	if len(ex) != 2 || !cmp.Equal(ex[ExportParticipants{"a", "b"}].Value, Exported{"t1", []string{"t2"}}) {
		t.Errorf("ParseExportLog = %v", ex)
	}
}

func TestUnionMerge(t *testing.T) {
	a := "ba00 r2 described in r1 timestamp=1795211432.293162961s\nshared\n"
	b := "shared\nba00 r2 described in r2 timestamp=1795211432.110441269s\n"
	want := "ba00 r2 described in r1 timestamp=1795211432.293162961s\nba00 r2 described in r2 timestamp=1795211432.110441269s\nshared\n"
	if got := string(UnionMerge([]byte(a), []byte(b))); got != want {
		t.Errorf("UnionMerge = %q", got)
	}
	if got := UnionMerge(nil, nil); len(got) != 0 {
		t.Errorf("UnionMerge of empties = %q", got)
	}
	if got := string(UnionMerge([]byte("b\n\na"), nil)); got != "\na\nb\n" {
		t.Errorf("empty line and missing final newline: %q", got)
	}
}

func TestAddLocationAdvancesClock(t *testing.T) {
	old := []byte("1700000000s 1 U\n")
	got, changed := AddLocation(old, "U", Missing, mustTS(t, "1600000000"))
	if !changed || string(got) != "1700000001s 0 U\n" {
		t.Errorf("AddLocation = %q, %v", got, changed)
	}
	same, changed := AddLocation(old, "U", Present, mustTS(t, "1800000000"))
	if changed || string(same) != string(old) {
		t.Errorf("unchanged status rewrote the log: %q", same)
	}
}
