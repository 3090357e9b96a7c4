package shellcli

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/sshcmd"
)

// The command lines git-annex sends (git-annex-internals §10.1-10.2).
func TestParseRequest(t *testing.T) {
	words, err := splitShellWords(`git-annex-shell 'p2pstdio' '/tmp/it'"'"'s' 'c1' '--uuid' 'u1' -- 'remoteuuid=r' autoinit=1 --`)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"git-annex-shell", "p2pstdio", "/tmp/it's", "c1", "--uuid", "u1", "--", "remoteuuid=r", "autoinit=1", "--"}, words); diff != "" {
		t.Fatalf("words (-want +got):\n%s", diff)
	}
	rq, err := parseRequest(words[1:])
	if err != nil {
		t.Fatal(err)
	}
	want := request{cmd: "p2pstdio", dir: "/tmp/it's", args: []string{"c1"}, uuid: "u1", fields: map[string]string{"remoteuuid": "r", "autoinit": "1"}}
	if diff := cmp.Diff(want, rq, cmp.AllowUnexported(request{})); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	if _, err := parseRequest([]string{"configlist"}); err == nil {
		t.Error("a command without a directory parsed")
	}
	if _, err := splitShellWords(`'open`); err == nil {
		t.Error("unterminated quote accepted")
	}
}

func TestResolveDir(t *testing.T) {
	t.Setenv("HOME", "/home/joe")
	for in, want := range map[string]string{"/srv/r": "/srv/r", "/~/annex": "/home/joe/annex", "~/annex": "/home/joe/annex", "annex": "/home/joe/annex", "/srv/../x": "/x"} {
		got, err := resolveDir(in)
		if err != nil || got != want {
			t.Errorf("resolveDir(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func FuzzSplitShellWords(f *testing.F) {
	f.Add(`a 'b c' "d\"e" f\ g`)
	f.Fuzz(func(t *testing.T, s string) {
		words, err := splitShellWords(s)
		if err != nil {
			return
		}
		// Quoting each word as git-annex does and splitting again gives
		// the same words.
		var line string
		for i, w := range words {
			if i > 0 {
				line += " "
			}
			line += sshcmd.ShellQuote(w)
		}
		again, err := splitShellWords(line)
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if len(words) == 0 {
			again = nil
		}
		if diff := cmp.Diff(words, again); diff != "" {
			t.Fatalf("%q (-first +again):\n%s", s, diff)
		}
	})
}
