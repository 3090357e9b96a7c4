package p2pproto

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/uuid"
)

const testKeyStr = "SHA256E-s10--439c7ddb1e3e0d8a0de1ddd2ff44fb1289a4c1d5bbe1bb1b1ccd5c2a0fb4a1d6.txt"

func mustKey(t testing.TB, s string) key.Key {
	t.Helper()
	k, err := key.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// The lines of git-annex's transcripts (git-annex-internals §10.3, and
// captured from git-annex-shell p2pstdio 10.20230126) parse and format back
// to the same bytes.
func TestRoundTripTranscriptLines(t *testing.T) {
	k := mustKey(t, testKeyStr)
	cases := []struct {
		line string
		want Message
	}{
		{"AUTH-SUCCESS 9edf502f-e8a7-47b4-9687-c9ba4b4f2297", Message{Cmd: AuthSuccess, UUID: "9edf502f-e8a7-47b4-9687-c9ba4b4f2297"}},
		{"AUTH 9edf502f-e8a7-47b4-9687-c9ba4b4f2297 tok", Message{Cmd: Auth, UUID: "9edf502f-e8a7-47b4-9687-c9ba4b4f2297", Token: "tok"}},
		{"AUTH-FAILURE", Message{Cmd: AuthFailure}},
		{"VERSION 1", Message{Cmd: Version, Version: 1}},
		{"CHECKPRESENT " + testKeyStr, Message{Cmd: CheckPresent, Key: k}},
		{"LOCKCONTENT " + testKeyStr, Message{Cmd: LockContent, Key: k}},
		{"UNLOCKCONTENT", Message{Cmd: UnlockContent}},
		{"REMOVE " + testKeyStr, Message{Cmd: Remove, Key: k}},
		{"REMOVE-BEFORE 1700000000 " + testKeyStr, Message{Cmd: RemoveBefore, Timestamp: 1700000000, Key: k}},
		{"GETTIMESTAMP", Message{Cmd: GetTimestamp}},
		{"TIMESTAMP 12", Message{Cmd: Timestamp, Timestamp: 12}},
		{"GET 0 j1.txt " + testKeyStr, Message{Cmd: Get, AFile: "j1.txt", Key: k}},
		{"GET 0  " + testKeyStr, Message{Cmd: Get, Key: k}},
		{"GET 7 a%b%%c " + testKeyStr, Message{Cmd: Get, Offset: 7, AFile: "a_b%c", Key: k}},
		{"PUT j1.txt " + testKeyStr, Message{Cmd: Put, AFile: "j1.txt", Key: k}},
		{"PUT-FROM 0", Message{Cmd: PutFrom}},
		{"ALREADY-HAVE", Message{Cmd: AlreadyHave}},
		{"SUCCESS", Message{Cmd: Success}},
		{"FAILURE", Message{Cmd: Failure}},
		{"DATA 10", Message{Cmd: Data, Offset: 10}},
		{"VALID", Message{Cmd: Valid}},
		{"INVALID", Message{Cmd: Invalid}},
		{"ERROR unknown command", Message{Cmd: Error, Text: "unknown command"}},
		{"ERROR ", Message{Cmd: Error}}, // git-annex unwords ["ERROR", ""]
		{"CONNECT git-upload-pack", Message{Cmd: Connect, Service: "git-upload-pack"}},
		{"CONNECTDONE 128", Message{Cmd: ConnectDone, ExitCode: 128}},
		{"NOTIFYCHANGE", Message{Cmd: NotifyChange}},
		{"CHANGED refs/heads/main refs/heads/git-annex", Message{Cmd: Changed, Refs: []string{"refs/heads/main", "refs/heads/git-annex"}}},
		{"BYPASS a b", Message{Cmd: Bypass, UUIDs: []uuid.UUID{"a", "b"}}},
	}
	for _, c := range cases {
		got, err := Parse(c.line)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.line, err)
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", c.line, diff)
		}
		if s := got.String(); s != c.line && !(c.line == "GET 7 a%b%%c "+testKeyStr) {
			t.Errorf("String() = %q, want %q", s, c.line)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, line := range []string{
		"", "BOGUS", "CHECKPRESENT", "CHECKPRESENT notakey", "SUCCESS x", "VERSION", "VERSION x",
		"DATA -1", "DATA", "GET 0 " + testKeyStr, "GET x f " + testKeyStr, "GET 0 /etc/passwd " + testKeyStr,
		"PUT " + testKeyStr, "CONNECT git-shell", "PUT-FROM +1",
	} {
		if m, err := Parse(line); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", line, m)
		} else if !errors.Is(err, ErrUnknown) {
			t.Errorf("Parse(%q) error %v does not wrap ErrUnknown", line, err)
		}
	}
}

func TestAFileEncoding(t *testing.T) {
	for in, want := range map[string]string{"": "", "a b\tc": "a%b%c", "100%": "100%%", "dir/f.txt": "dir/f.txt"} {
		if got := EncodeAFile(in); got != want {
			t.Errorf("EncodeAFile(%q) = %q, want %q", in, got, want)
		}
	}
	if got, err := DecodeAFile("a%b%%c"); err != nil || got != "a_b%c" {
		t.Errorf("DecodeAFile = %q, %v", got, err)
	}
}

// The exact bytes of git-annex-shell's answer to a GET (captured from
// 10.20230126): DATA framing has no terminator after the payload.
func TestConnDataFraming(t *testing.T) {
	var out bytes.Buffer
	c := NewConn(strings.NewReader(""), &out)
	if err := c.Send(Message{Cmd: Version, Version: 1}); err != nil {
		t.Fatal(err)
	}
	if err := c.SendData(strings.NewReader("hello\nrest-not-sent"), 6); err != nil {
		t.Fatal(err)
	}
	if err := c.Send(Message{Cmd: Valid}); err != nil {
		t.Fatal(err)
	}
	const want = "VERSION 1\nDATA 6\nhello\nVALID\n"
	if out.String() != want {
		t.Fatalf("sent %q, want %q", out.String(), want)
	}

	r := NewConn(strings.NewReader(want+"SUCCESS\n"), io.Discard)
	var got []string
	for {
		m, err := r.Receive()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m.String())
		if m.Cmd == Data {
			var b bytes.Buffer
			if err := r.ReceiveData(&b, m.Offset); err != nil {
				t.Fatal(err)
			}
			got = append(got, b.String())
		}
	}
	if diff := cmp.Diff([]string{"VERSION 1", "DATA 6", "hello\n", "VALID", "SUCCESS"}, got); diff != "" {
		t.Error(diff)
	}
}

func TestSendDataShortSourcePadsAndFails(t *testing.T) {
	var out bytes.Buffer
	c := NewConn(strings.NewReader(""), &out)
	err := c.SendData(strings.NewReader("ab"), 4)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want ErrUnexpectedEOF", err)
	}
	if out.String() != "DATA 4\nab\x00\x00" {
		t.Fatalf("sent %q", out.String())
	}
}

type failWriter struct{}

func (failWriter) Write(p []byte) (int, error) { return 0, errors.New("disk full") }

func TestReceiveDataDrainsOnWriteError(t *testing.T) {
	c := NewConn(strings.NewReader("abcdefVALID\n"), io.Discard)
	if err := c.ReceiveData(failWriter{}, 6); err == nil || err.Error() != "disk full" {
		t.Fatalf("err = %v", err)
	}
	m, err := c.Receive()
	if err != nil || m.Cmd != Valid {
		t.Fatalf("next message %+v, %v; want VALID", m, err)
	}
}

func TestReceiveTruncated(t *testing.T) {
	c := NewConn(strings.NewReader("SUCC"), io.Discard)
	if _, err := c.Receive(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v", err)
	}
	c = NewConn(strings.NewReader("ab"), io.Discard)
	if err := c.ReceiveData(io.Discard, 5); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"GET 0 f " + testKeyStr, "PUT %% " + testKeyStr, "ERROR x y", "CHANGED a b", "DATA 10", "AUTH u t", "BYPASS"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		m, err := Parse(line)
		if err != nil {
			return
		}
		// What parses formats to a line that parses, and from then on
		// formatting and parsing are stable (a whitespace character in a
		// file name becomes "_" on the first trip, as in git-annex).
		again, err := Parse(m.String())
		if err != nil {
			t.Fatalf("Parse(%q) ok, but its String %q does not parse: %v", line, m.String(), err)
		}
		third, err := Parse(again.String())
		if err != nil {
			t.Fatalf("%q does not parse: %v", again.String(), err)
		}
		if diff := cmp.Diff(again, third); diff != "" {
			t.Fatalf("%q: round trip (-second +third):\n%s", line, diff)
		}
	})
}
