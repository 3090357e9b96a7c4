package logs

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/uuid"
)

// Golden values in this file were written by git-annex 10.20230126 with a
// pre-set annex.uuid and GIT_ANNEX_VECTOR_CLOCK (internals §13.2), or are the
// verified examples of the internals digest.

const (
	uHere = uuid.UUID("11111111-2222-3333-4444-555555555555")
	uDir  = uuid.UUID("10ef4da7-34f8-47d1-9c94-d420cae318c9")
)

func TestGoldenUUIDLog(t *testing.T) {
	// init "test repo" at 1700000000.5, initremote dr at 1700000001.25,
	// then `describe here "older desc"` with the clock back at 1700000000.
	var b []byte
	b = SetUUIDLog(b, uHere, "test repo", mustTS(t, "1700000000.5"))
	b = SetUUIDLog(b, uDir, "dr", mustTS(t, "1700000001.25"))
	b = SetUUIDLog(b, uHere, "older desc", mustTS(t, "1700000000"))
	want := "10ef4da7-34f8-47d1-9c94-d420cae318c9 dr timestamp=1700000001.25s\n" +
		"11111111-2222-3333-4444-555555555555 older desc timestamp=1700000001.5s\n"
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("uuid.log (-git-annex +ours):\n%s", diff)
	}
}

func TestGoldenGroupAndTrustLogs(t *testing.T) {
	now := mustTS(t, "1700000001.25")
	var g []byte
	g = SetGroups(g, uHere, []string{"mygroup"}, now)
	g = SetGroups(g, uHere, []string{"mygroup", "client"}, now)
	g = SetGroups(g, uDir, nil, mustTS(t, "-1.5")) // `git annex dead dr` removes its groups
	wantG := "10ef4da7-34f8-47d1-9c94-d420cae318c9  timestamp=-1.5s\n" +
		"11111111-2222-3333-4444-555555555555 client mygroup timestamp=1700000002.25s\n"
	if diff := cmp.Diff(wantG, string(g)); diff != "" {
		t.Errorf("group.log (-git-annex +ours):\n%s", diff)
	}

	var tr []byte
	tr = SetTrust(tr, uHere, UnTrusted, now)
	tr = SetTrust(tr, uDir, DeadTrusted, mustTS(t, "-1.5"))
	wantT := "10ef4da7-34f8-47d1-9c94-d420cae318c9 X timestamp=-1.5s\n" +
		"11111111-2222-3333-4444-555555555555 0 timestamp=1700000001.25s\n"
	if diff := cmp.Diff(wantT, string(tr)); diff != "" {
		t.Errorf("trust.log (-git-annex +ours):\n%s", diff)
	}
}

func TestGoldenRemoteLog(t *testing.T) {
	line := "fc75b738-0000-0000-0000-000000000000 encryption=none externaltype=testext myextra=hello&32;world name=ext storedir=/tmp/demo/extstore type=external timestamp=1795211237.1s\n"
	m := ParseRemoteLog([]byte(line))
	c := m["fc75b738-0000-0000-0000-000000000000"].Value
	if c["myextra"] != "hello world" || c["type"] != "external" || len(c) != 6 {
		t.Fatalf("parsed %v", c)
	}
	// Rewriting from an unsorted, differently spaced config normalises it.
	got := SetRemoteConfig(nil, "fc75b738-0000-0000-0000-000000000000",
		RemoteConfig{"type": "external", "name": "ext", "myextra": "hello world", "encryption": "none", "externaltype": "testext", "storedir": "/tmp/demo/extstore"},
		mustTS(t, "1795211237.1"))
	if diff := cmp.Diff(line, string(got)); diff != "" {
		t.Errorf("remote.log (-git-annex +ours):\n%s", diff)
	}
	real := "10ef4da7-34f8-47d1-9c94-d420cae318c9 chunk=5b encryption=none name=dr type=directory timestamp=1700000001.25s\n"
	if got := formatRemoteLog(ParseRemoteLog([]byte(real))); got != real {
		t.Errorf("round trip of git-annex remote.log: %q", got)
	}
}

func formatRemoteLog(m map[uuid.UUID]Entry[RemoteConfig]) string {
	return string(remoteLog.formatLog(m))
}

func TestConfigEscape(t *testing.T) {
	for _, tc := range []struct{ in, esc string }{
		{"hello world", "hello&32;world"},
		{"a&b", "a&38;b"},
		{"tab\there\nnl", "tab&9;here&10;nl"},
		{"nbsp\u00a0x", "nbsp&160;x"},
		{"nel\u0085x", "nel\u0085x"}, // not a space for Haskell's isSpace
		{"ok=1", "ok=1"},
	} {
		if got := EscapeConfigValue(tc.in); got != tc.esc {
			t.Errorf("EscapeConfigValue(%q) = %q, want %q", tc.in, got, tc.esc)
		}
		if got := UnescapeConfigValue(tc.esc); got != tc.in {
			t.Errorf("UnescapeConfigValue(%q) = %q, want %q", tc.esc, got, tc.in)
		}
	}
	for in, want := range map[string]string{"a&b": "a&b", "&;": "&;", "&12": "&12", "&&65;": "&A", "x&65;&": "xA&"} {
		if got := UnescapeConfigValue(in); got != want {
			t.Errorf("UnescapeConfigValue(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGoldenMapLogs(t *testing.T) {
	now := mustTS(t, "1700000001.25")
	if got := string(SetMapLog(nil, "annex.largefiles", "largerthan=100kb", now)); got != "1700000001.25s annex.largefiles largerthan=100kb\n" {
		t.Errorf("config.log = %q", got)
	}
	// Unsetting writes an empty value (internals §4.3).
	unset := SetMapLog([]byte("1795211088.55406722s annex.largefiles largerthan=100kb\n"), "annex.largefiles", "", mustTS(t, "1795211445.523925142"))
	if got := string(unset); got != "1795211445.523925142s annex.largefiles \n" {
		t.Errorf("config.log unset = %q", got)
	}
	if e := ParseMapLog(unset)["annex.largefiles"]; e.Value != "" {
		t.Errorf("unset value parsed as %q", e.Value)
	}
	if got := string(SetCopiesLog(nil, 2, now)); got != "1700000001.25s 2\n" {
		t.Errorf("numcopies.log = %q", got)
	}
	if got := string(SetChunkCount(nil, uDir, 5, 2, now)); got != "1700000001.25s 10ef4da7-34f8-47d1-9c94-d420cae318c9:5 2\n" {
		t.Errorf("chunk log = %q", got)
	}
	exp := "1795211246.474622522s b5285c34-2b56-4be5-b472-8817c8d9de4c:955a92bc-33ac-4df0-8aae-74bd0ed90b46 bd5df9aa834d4ea3221456449259fd2c51ea998a\n"
	p := ExportParticipants{From: "b5285c34-2b56-4be5-b472-8817c8d9de4c", To: "955a92bc-33ac-4df0-8aae-74bd0ed90b46"}
	if got := string(SetExport(nil, p, Exported{Tree: "bd5df9aa834d4ea3221456449259fd2c51ea998a"}, mustTS(t, "1795211246.474622522"))); got != exp {
		t.Errorf("export.log = %q", got)
	}
	cid := "1795211261.942554819s 41a78b93-75dd-406e-8acd-b41479e05c52 10412446 5 1795211261 556417082\n"
	if got := ParseContentIDLog([]byte(cid))["41a78b93-75dd-406e-8acd-b41479e05c52"].Value; !cmp.Equal(got, []string{"10412446 5 1795211261 556417082"}) {
		t.Errorf("cid = %q", got)
	}
}

func TestGoldenLocationAndURLLogs(t *testing.T) {
	// History of a key's logs while `addurl` twice, `rmurl` one URL, `drop`,
	// `rmurl` the other and `dead --key` (captured commit by commit).
	const (
		urlA = "file:///tmp/golden/a.dat"
		urlB = "file:///tmp/golden/b.dat"
	)
	t0, t1 := mustTS(t, "1700000000"), mustTS(t, "1700000000.000000001")
	var loc, web []byte
	var changed bool
	web = AddURL(web, urlB, Present, t0)
	loc, _ = AddLocation(loc, uuid.Web, Present, t0)
	loc, _ = AddLocation(loc, uHere, Present, t0)
	web = AddURL(web, urlA, Present, t0)
	if loc, changed = AddLocation(loc, uHere, Present, t1); changed {
		t.Errorf("re-adding a present location reported a change")
	}
	steps := []struct{ loc, web string }{{
		"1700000000s 1 00000000-0000-0000-0000-000000000001\n1700000000s 1 11111111-2222-3333-4444-555555555555\n",
		"1700000000s 1 " + urlB + "\n1700000000s 1 " + urlA + "\n", // appended, not sorted
	}}
	web = AddURL(web, urlB, Missing, t1)
	steps = append(steps, struct{ loc, web string }{steps[0].loc,
		"1700000000s 1 " + urlA + "\n1700000000.000000001s 0 " + urlB + "\n"})
	loc, _ = AddLocation(loc, uHere, Missing, t1)
	web = AddURL(web, urlA, Missing, t1)
	loc, _ = AddLocation(loc, uuid.Web, Missing, t1)
	steps = append(steps, struct{ loc, web string }{
		"1700000000.000000001s 0 00000000-0000-0000-0000-000000000001\n1700000000.000000001s 0 11111111-2222-3333-4444-555555555555\n",
		"1700000000.000000001s 0 " + urlA + "\n1700000000.000000001s 0 " + urlB + "\n"})
	if diff := cmp.Diff(steps[2], struct{ loc, web string }{string(loc), string(web)}, cmp.AllowUnexported(struct{ loc, web string }{})); diff != "" {
		t.Errorf("after drop (-git-annex +ours):\n%s", diff)
	}
	dead, changed := MarkDead(loc)
	wantDead := "1700000000.000000001001s X 00000000-0000-0000-0000-000000000001\n1700000000.000000001001s X 11111111-2222-3333-4444-555555555555\n"
	if !changed || string(dead) != wantDead {
		t.Errorf("MarkDead = %q, %v; want %q", dead, changed, wantDead)
	}
	if _, changed := MarkDead(dead); changed {
		t.Errorf("MarkDead of a dead key reported a change")
	}
	// Replay the first steps to check the intermediate states too.
	var w2 []byte
	w2 = AddURL(w2, urlB, Present, t0)
	w2 = AddURL(w2, urlA, Present, t0)
	if string(w2) != steps[0].web {
		t.Errorf("after two addurl: %q", w2)
	}
	if w2 = AddURL(w2, urlB, Missing, t1); string(w2) != steps[1].web {
		t.Errorf("after rmurl: %q", w2)
	}
}

func TestGoldenMetaDataLog(t *testing.T) {
	var b []byte
	b = AddMetaData(b, MetaData{
		{Name: "author", Values: []MetaValue{{"Joe Bloggs", true}}},
		{Name: "tag", Values: []MetaValue{{"foo", true}}},
		{Name: "year", Values: []MetaValue{{"2023", true}}},
	}, mustTS(t, "1700000000.5"))
	// `metadata -t bar -u foo`
	b = AddMetaData(b, MetaData{{Name: "tag", Values: []MetaValue{{"bar", true}, {"foo", false}}}}, mustTS(t, "1700000001.25"))
	want := "1700000000.5s author +!Sm9lIEJsb2dncw== tag +foo year +2023\n1700000001.25s tag +bar -foo\n"
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf(".log.met (-git-annex +ours):\n%s", diff)
	}
	cur := CurrentMetaData(ParseMetaLog(b))
	wantCur := MetaData{
		{Name: "author", Values: []MetaValue{{"Joe Bloggs", true}}},
		{Name: "tag", Values: []MetaValue{{"bar", true}}},
		{Name: "year", Values: []MetaValue{{"2023", true}}},
	}
	if diff := cmp.Diff(wantCur, cur); diff != "" {
		t.Errorf("current metadata (-want +got):\n%s", diff)
	}
	// Overriding every value of the older line drops it (simplifyLog).
	b = AddMetaData(b, MetaData{
		{Name: "Author", Values: []MetaValue{{"Joe Bloggs", false}}},
		{Name: "tag", Values: []MetaValue{{"foo", false}}},
		{Name: "year", Values: []MetaValue{{"2023", false}}},
	}, mustTS(t, "1700000000"))
	want = "1700000001.25s tag +bar\n1700000002.25s Author -!Sm9lIEJsb2dncw== tag -foo year -2023\n"
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("simplified .log.met (-want +ours):\n%s", diff)
	}
}

func TestGoldenTransitionsAndDifferences(t *testing.T) {
	now := mustTS(t, "1795211342.292642536")
	b := AddTransition(nil, ForgetGitHistory, now)
	b = AddTransition(b, ForgetDeadRemotes, now)
	want := "ForgetGitHistory 1795211342.292642536s\nForgetDeadRemotes 1795211342.292642536s\n"
	if string(b) != want {
		t.Errorf("transitions.log = %q, want %q", b, want)
	}
	d := ParseDifferences("fromList [ObjectHashLower,OneLevelBranchHash]")
	if (d != Differences{ObjectHashLower: true, OneLevelBranchHash: true}) || d.String() != "fromList [ObjectHashLower,OneLevelBranchHash]" {
		t.Errorf("differences = %+v %q", d, d)
	}
	if !ParseDifferences("fromList [Future]").Unknown || ParseDifferences("fromList []").Unknown {
		t.Errorf("unknown differences misdetected")
	}
}

func TestPaths(t *testing.T) {
	k, err := key.Parse("SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := "d91/b11/SHA256E-s6--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt.log"
	if got := LocationLogPath(k, false); got != want {
		t.Errorf("LocationLogPath = %q", got)
	}
	if got := KeyLogPath(k, false, ChunkExt); got != want+".cnk" {
		t.Errorf("chunk path = %q", got)
	}
	if got, ok := ParseLocationLogPath(want, false); !ok || got != k {
		t.Errorf("ParseLocationLogPath = %v, %v", got, ok)
	}
	for _, p := range []string{want + ".web", "d91/" + k.File() + ".log", "uuid.log", "x/d91/b11/" + k.File() + ".log"} {
		if _, ok := ParseLocationLogPath(p, false); ok {
			t.Errorf("ParseLocationLogPath(%q) accepted", p)
		}
	}
	if got, ok := ParseLocationLogPath(LocationLogPath(k, true), true); !ok || got != k {
		t.Errorf("one-level round trip = %v, %v", got, ok)
	}
	u, _ := key.Parse("URL--file:///tmp/exp/ufile")
	if got := JournalFileName(LocationLogPath(u, false)); got != "5b7_a35_URL--file&c%%%tmp%exp%ufile.log" {
		t.Errorf("JournalFileName = %q", got)
	}
	for _, p := range []string{"a_b/c__d/e.log", "_x_", "uuid.log"} {
		if got := BranchPathFromJournal(JournalFileName(p)); got != p {
			t.Errorf("journal round trip %q -> %q", p, got)
		}
	}
}
