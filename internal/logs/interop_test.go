package logs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/testutil"
	"github.com/troveproject/trove/internal/uuid"
)

// annexAt runs the real git-annex in dir with GIT_ANNEX_VECTOR_CLOCK=clock.
func annexAt(t *testing.T, dir, clock string, args ...string) {
	t.Helper()
	cmd := testutil.Command(t, dir, testutil.RequireGitAnnex(t), args...)
	cmd.Env = append(cmd.Env, "GIT_ANNEX_VECTOR_CLOCK="+clock)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git annex %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func branchFile(t *testing.T, dir, path string) string {
	t.Helper()
	return testutil.RunGit(t, dir, "show", "git-annex:"+path)
}

// TestInteropWithGitAnnex replays a sequence of commands in a real
// git-annex repository and with this package, and compares the files.
func TestInteropWithGitAnnex(t *testing.T) {
	const u = uuid.UUID("11111111-2222-3333-4444-555555555555")
	dir := testutil.NewAnnexRepo(t, u, "first desc") // at testutil.VectorClock
	t0 := mustTS(t, testutil.VectorClock)
	uuidLog := SetUUIDLog(nil, u, "first desc", t0)

	annexAt(t, dir, "1700000000.25", "describe", "here", "a  b&c")
	uuidLog = SetUUIDLog(uuidLog, u, "a  b&c", mustTS(t, "1700000000.25"))
	annexAt(t, dir, "1600000000", "describe", "here", "older clock")
	uuidLog = SetUUIDLog(uuidLog, u, "older clock", mustTS(t, "1600000000"))

	annexAt(t, dir, "1700000005", "group", "here", "zeta")
	annexAt(t, dir, "1700000005", "group", "here", "alpha")
	var groups []byte
	groups = SetGroups(groups, u, []string{"zeta"}, mustTS(t, "1700000005"))
	groups = SetGroups(groups, u, []string{"zeta", "alpha"}, mustTS(t, "1700000005"))

	annexAt(t, dir, "1700000006.000000000001", "semitrust", "here")
	trust := SetTrust(nil, u, SemiTrusted, mustTS(t, "1700000006.000000000001"))

	annexAt(t, dir, "1700000007", "numcopies", "3")
	annexAt(t, dir, "1700000006", "numcopies", "2")
	var nc []byte
	nc = SetCopiesLog(nc, 3, mustTS(t, "1700000007"))
	nc = SetCopiesLog(nc, 2, mustTS(t, "1700000006"))

	annexAt(t, dir, "1700000008", "config", "--set", "annex.largefiles", "include=*.bin")
	annexAt(t, dir, "1700000009", "config", "--unset", "annex.largefiles")
	var cfg []byte
	cfg = SetMapLog(cfg, "annex.largefiles", "include=*.bin", mustTS(t, "1700000008"))
	cfg = SetMapLog(cfg, "annex.largefiles", "", mustTS(t, "1700000009"))

	testutil.RunGit(t, dir, "commit", "-q", "--allow-empty", "-m", "x")
	writeFile(t, dir, "f.txt", "content\n")
	annexAt(t, dir, "1700000010", "add", "f.txt")
	annexAt(t, dir, "1700000011", "metadata", "-s", "Tag=one", "-s", "note=!bang", "f.txt")
	annexAt(t, dir, "1700000012", "metadata", "-s", "tag=two", "f.txt")
	annexAt(t, dir, "1700000013", "metadata", "-r", "note", "-r", "tag", "f.txt")
	annexAt(t, dir, "1700000014", "drop", "--force", "f.txt")
	var met []byte
	met = AddMetaData(met, MetaData{{Name: "Tag", Values: []MetaValue{{"one", true}}}, {Name: "note", Values: []MetaValue{{"!bang", true}}}}, mustTS(t, "1700000011"))
	met = AddMetaData(met, MetaData{{Name: "tag", Values: []MetaValue{{"one", false}, {"two", true}}}}, mustTS(t, "1700000012"))
	met = AddMetaData(met, MetaData{{Name: "note", Values: []MetaValue{{"!bang", false}}}, {Name: "tag", Values: []MetaValue{{"two", false}}}}, mustTS(t, "1700000013"))
	var loc []byte
	loc, _ = AddLocation(loc, u, Present, mustTS(t, "1700000010"))
	loc, _ = AddLocation(loc, u, Missing, mustTS(t, "1700000014"))

	k := strings.TrimSpace(testutil.RunGit(t, dir, "annex", "lookupkey", "f.txt"))
	kk := mustKey(t, k)
	for _, c := range []struct {
		path string
		want []byte
	}{
		{UUIDLog, uuidLog},
		{GroupLog, groups},
		{TrustLog, trust},
		{NumCopiesLog, nc},
		{ConfigLog, cfg},
		{KeyLogPath(kk, false, MetaDataExt), met},
		{LocationLogPath(kk, false), loc},
	} {
		if diff := cmp.Diff(branchFile(t, dir, c.path), string(c.want)); diff != "" {
			t.Errorf("%s (-git-annex +ours):\n%s", c.path, diff)
		}
	}
}
