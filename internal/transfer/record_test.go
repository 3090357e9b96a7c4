package transfer

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Captured from git-annex 10.20230126 (strace of `git annex get big.bin`):
// the info file when the transfer starts, and after 32752 bytes.
func TestInfoMatchesGitAnnex(t *testing.T) {
	started := time.Unix(1795219731, 843278225)
	for _, tc := range []struct {
		info Info
		want string
	}{
		{Info{Started: started, File: "big.bin"}, "1795219731.843278225s\nbig.bin\n"},
		{Info{Started: started, Bytes: 32752, HasBytes: true, File: "big.bin"}, "1795219731.843278225s 32752\nbig.bin\n"},
		{Info{Started: time.Unix(1700000000, 0), File: "a b/c"}, "1700000000s\na b/c\n"},
		{Info{}, "\n\n"},
	} {
		if got := string(tc.info.Format()); got != tc.want {
			t.Errorf("Format(%+v) = %q, want %q", tc.info, got, tc.want)
		}
		back, err := ParseInfo([]byte(tc.want))
		if err != nil {
			t.Errorf("ParseInfo(%q): %v", tc.want, err)
			continue
		}
		if !back.Started.Equal(tc.info.Started) || back.Bytes != tc.info.Bytes || back.HasBytes != tc.info.HasBytes || back.File != tc.info.File {
			t.Errorf("ParseInfo(%q) = %+v, want %+v", tc.want, back, tc.info)
		}
	}
	for _, bad := range []string{"soon\nf\n", "1700000000s many\nf\n"} {
		if _, err := ParseInfo([]byte(bad)); err == nil {
			t.Errorf("ParseInfo(%q) accepted", bad)
		}
	}
}

func TestPaths(t *testing.T) {
	k := sha256Key("x")
	got := []string{
		InfoPath(".git/annex", Download, "u-1", k),
		LockPath(".git/annex", Upload, "u-1", k),
		FailedPath(".git/annex", Download, "u/1", k),
	}
	kf := k.File()
	want := []string{
		".git/annex/transfer/download/u-1/" + kf,
		".git/annex/transfer/upload/u-1/lck." + kf,
		".git/annex/transfer/failed/download/u1/" + kf,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func FuzzParseInfo(f *testing.F) {
	for _, s := range []string{"1795219731.843278225s 32752\nbig.bin\n", "\n\n", "1s\n", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		info, err := ParseInfo([]byte(s))
		if err != nil {
			return
		}
		again, err := ParseInfo(info.Format())
		if err != nil || !again.Started.Equal(info.Started) || again.Bytes != info.Bytes || again.HasBytes != info.HasBytes {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, info, info.Format(), again, err)
		}
	})
}
