package filter

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/testutil"
)

// echoHandler returns content unchanged, like git-annex does for smudge
// of content that is not a pointer.
type echoHandler struct{}

func (echoHandler) Clean(_ context.Context, _ string, in io.Reader, out io.Writer) error {
	_, err := io.Copy(out, in)
	return err
}

func (echoHandler) Smudge(_ context.Context, _ string, in io.Reader, out io.Writer) error {
	_, err := io.Copy(out, in)
	return err
}

func TestServerMatchesGitAnnexTranscript(t *testing.T) {
	in, err := os.ReadFile("testdata/annex-smudge.in")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/annex-smudge.out")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	s := &Server{Handler: echoHandler{}}
	if err := s.Serve(context.Background(), bytes.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("server output differs from git-annex (-want +got):\n%s", diff)
	}
}

// TestServerMatchesLiveGitAnnex replays the transcript against the
// installed git-annex, so the golden file cannot drift from the real thing.
func TestServerMatchesLiveGitAnnex(t *testing.T) {
	ga := testutil.RequireGitAnnex(t)
	dir := testutil.NewRepo(t)
	testutil.RunAnnex(t, dir, "init", "test")
	in, err := os.ReadFile("testdata/annex-smudge.in")
	if err != nil {
		t.Fatal(err)
	}
	cmd := testutil.Command(t, dir, ga, "filter-process")
	cmd.Stdin = bytes.NewReader(in)
	real, err := cmd.Output()
	if err != nil {
		t.Fatalf("git annex filter-process: %v", err)
	}
	var out bytes.Buffer
	if err := (&Server{Handler: echoHandler{}}).Serve(context.Background(), bytes.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(real), out.String()); diff != "" {
		t.Errorf("server output differs from live git-annex (-real +ours):\n%s", diff)
	}
}

// scriptedHandler fails on paths starting with "fail", after writing some
// output on paths starting with "faillate", and otherwise upper-cases on
// clean and lower-cases on smudge.
type scriptedHandler struct{}

func (scriptedHandler) Clean(_ context.Context, path string, in io.Reader, out io.Writer) error {
	return transform(path, in, out, bytes.ToUpper)
}

func (scriptedHandler) Smudge(_ context.Context, path string, in io.Reader, out io.Writer) error {
	return transform(path, in, out, bytes.ToLower)
}

func transform(path string, in io.Reader, out io.Writer, f func([]byte) []byte) error {
	switch {
	case strings.HasPrefix(path, "failearly"):
		return errors.New("refusing " + path)
	case strings.HasPrefix(path, "failate"):
		if _, err := out.Write([]byte("partial")); err != nil {
			return err
		}
		if _, err := io.Copy(io.Discard, in); err != nil {
			return err
		}
		if _, err := out.Write([]byte("more")); err != nil {
			return err
		}
		return errors.New("broke midway on " + path)
	}
	buf := make([]byte, 4096)
	for {
		n, err := in.Read(buf)
		if n > 0 {
			if _, werr := out.Write(f(buf[:n])); werr != nil {
				return werr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// startPair runs a Server over pipes and returns a connected Client.
func startPair(t *testing.T, h Handler, caps ...string) (*Client, func() error) {
	t.Helper()
	toServer, clientW := io.Pipe()
	clientR, fromServer := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := (&Server{Handler: h}).Serve(context.Background(), toServer, fromServer)
		fromServer.CloseWithError(err)
		toServer.CloseWithError(err)
		done <- err
	}()
	c, err := NewClient(clientR, clientW, caps...)
	if err != nil {
		t.Fatal(err)
	}
	return c, func() error {
		clientW.Close()
		return <-done
	}
}

func TestHandshakeNeverOffersDelay(t *testing.T) {
	for _, tc := range []struct {
		offer, want []string
	}{
		{[]string{"clean", "smudge", "delay"}, []string{"clean", "smudge"}},
		{[]string{"smudge", "delay"}, []string{"smudge"}},
		{[]string{"delay"}, nil},
	} {
		c, stop := startPair(t, echoHandler{}, tc.offer...)
		if diff := cmp.Diff(tc.want, c.Capabilities()); diff != "" {
			t.Errorf("offer %q (-want +got):\n%s", tc.offer, diff)
		}
		if err := stop(); err != nil {
			t.Errorf("server: %v", err)
		}
	}
}

func TestRequestsStayInSync(t *testing.T) {
	c, stop := startPair(t, scriptedHandler{}, "clean", "smudge")
	big := bytes.Repeat([]byte("abcdefghij"), 50_000) // 500 kB: several packets
	steps := []struct {
		command, path, in, want string
		status                  string
	}{
		{"clean", "a.txt", "hello", "HELLO", ""},
		{"clean", "failearly.txt", "x", "", "error"},
		{"smudge", "b.txt", "WORLD", "world", ""},
		{"clean", "failate.txt", "y", "partialmore", "error"},
		{"clean", "empty", "", "", ""},
		{"bogus", "c.txt", "zzz", "", "error"},
		{"clean", "big", string(big), strings.ToUpper(string(big)), ""},
		{"smudge", "last", "OK", "ok", ""},
	}
	for _, st := range steps {
		var out bytes.Buffer
		err := c.Filter(st.command, st.path, strings.NewReader(st.in), &out)
		var se *StatusError
		switch {
		case st.status == "" && err != nil:
			t.Fatalf("%s %s: %v", st.command, st.path, err)
		case st.status != "" && (!errors.As(err, &se) || se.Status != st.status):
			t.Fatalf("%s %s: got %v, want status=%s", st.command, st.path, err, st.status)
		}
		if out.String() != st.want {
			t.Errorf("%s %s: output %.40q (%d bytes), want %.40q (%d bytes)", st.command, st.path, out.String(), out.Len(), st.want, len(st.want))
		}
	}
	if err := stop(); err != nil {
		t.Errorf("server: %v", err)
	}
}

func TestErrorResponsesOnTheWire(t *testing.T) {
	var in bytes.Buffer
	pw := NewPacketWriter(&in)
	must(t, pw.WriteText("git-filter-client", "version=2"))
	must(t, pw.WriteText("capability=clean"))
	must(t, pw.WriteText("command=clean", "pathname=failearly", "can-delay=1"))
	must(t, pw.WritePacket([]byte("abc")))
	must(t, pw.WriteFlush())
	must(t, pw.WriteText("command=clean", "pathname=failate"))
	must(t, pw.WriteFlush())
	must(t, pw.Sync())
	var out bytes.Buffer
	if err := (&Server{Handler: scriptedHandler{}}).Serve(context.Background(), &in, &out); err != nil {
		t.Fatal(err)
	}
	want := "0016git-filter-server\n000eversion=2\n0000" +
		"0015capability=clean\n0000" +
		"0011status=error\n0000" +
		"0013status=success\n0000000fpartialmore00000011status=error\n0000"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestServerRejectsBadHandshake(t *testing.T) {
	for _, in := range []string{
		"0016git-filter-server\n000eversion=2\n0000",
		"0016git-filter-client\n000eversion=3\n0000",
		"0016git-filter-client\n000eversion=2\n", // ends before flush
		"zzzz",
	} {
		err := (&Server{Handler: echoHandler{}}).Serve(context.Background(), strings.NewReader(in), io.Discard)
		if !errors.Is(err, ErrProtocol) {
			t.Errorf("Serve(%q) = %v, want ErrProtocol", in, err)
		}
	}
}

func TestServerTruncatedContentIsAnError(t *testing.T) {
	in := "0016git-filter-client\n000eversion=2\n0000" + "0015capability=clean\n0000" +
		"0012command=clean\n0010pathname=x\n0000" + "0007abc"
	err := (&Server{Handler: echoHandler{}}).Serve(context.Background(), strings.NewReader(in), io.Discard)
	if !errors.Is(err, ErrProtocol) {
		t.Errorf("Serve = %v, want ErrProtocol", err)
	}
}

// countingHandler hashes content without keeping it and answers with
// the digest, as an annexing clean does.
type countingHandler struct{ echoHandler }

func (countingHandler) Clean(_ context.Context, _ string, in io.Reader, out io.Writer) error {
	h := sha256.New()
	n, err := io.Copy(h, in)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "%d %x\n", n, h.Sum(nil))
	return err
}

// zeroReader yields n zero bytes without allocating them.
type zeroReader struct{ n int64 }

func (z *zeroReader) Read(p []byte) (int, error) {
	if z.n == 0 {
		return 0, io.EOF
	}
	m := min(int64(len(p)), z.n)
	clear(p[:m])
	z.n -= m
	return int(m), nil
}

func TestContentStreams(t *testing.T) {
	const size = 256 << 20
	c, stop := startPair(t, countingHandler{}, "clean")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var out bytes.Buffer
	if err := c.Filter("clean", "huge", &zeroReader{size}, &out); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	h := sha256.New()
	if _, err := io.Copy(h, &zeroReader{size}); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%d %x\n", size, h.Sum(nil)); out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("streaming %d bytes allocated %d bytes; content is being buffered", size, alloc)
	}
	if err := stop(); err != nil {
		t.Errorf("server: %v", err)
	}
}

// TestGitRoundTrip makes real git run this test binary as its filter
// process (see TestMain) and checks git add / git checkout through it.
func TestGitRoundTrip(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := testutil.NewRepo(t)
	testutil.RunGit(t, dir, "config", "filter.test.process", helperEnv+"=1 "+shellQuote(exe))
	testutil.RunGit(t, dir, "config", "filter.test.required", "false")
	must(t, os.WriteFile(filepath.Join(dir, ".gitattributes"), []byte("*.txt filter=test\n"), 0o644))
	big := strings.Repeat("large content line\n", 20000)
	files := map[string]string{
		"a.txt":          "hello world\n",
		"failearly.txt":  "kept as is\n",
		"sub/b.txt":      big,
		"plain.dat":      "Not Filtered\n",
		"z-after.txt":    "after the failure\n",
		"with space.txt": "spaced\n",
	}
	for name, content := range files {
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	testutil.RunGit(t, dir, "add", ".")
	for name, content := range files {
		blob := testutil.RunGit(t, dir, "cat-file", "blob", ":"+name)
		want := strings.ToUpper(content)
		if name == "failearly.txt" || name == "plain.dat" {
			want = content // filter failed (not required) or not applied
		}
		if blob != want {
			t.Errorf("blob of %s = %.40q, want %.40q", name, blob, want)
		}
	}
	testutil.RunGit(t, dir, "commit", "-qm", "x")
	for name := range files {
		must(t, os.Remove(filepath.Join(dir, name)))
	}
	testutil.RunGit(t, dir, "checkout", "--", ".")
	for name, content := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want := content
		if strings.HasSuffix(name, ".txt") && name != "failearly.txt" {
			want = strings.ToLower(content)
		}
		if string(got) != want {
			t.Errorf("checked out %s = %.40q, want %.40q", name, got, want)
		}
	}
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
