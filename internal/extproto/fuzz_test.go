package extproto

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FuzzParse checks that a parsed message formats to a line that parses
// back to the same message, for both directions, and that SplitJob and
// the number readers never panic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"VERSION 1", "EXTENSIONS INFO ASYNC", "TRANSFER-FAILURE STORE " + k1,
		"TRANSFER STORE " + k1 + " a b", "SETCREDS a b c d", "J 1 PREPARE-SUCCESS",
		"COST 1e3", "CHECKURL-MULTI a 1 b", "SETURIPRESENT " + k1 + " x:y", "VALUE ",
		"SETCONFIG\u2003a b", "PROGRESS 0x10",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.ContainsAny(line, "\n") {
			return
		}
		_, _, _ = SplitJob(line)
		_, _ = ReadInt(line)
		_, _ = ReadFloat(line)
		_ = ParseURLMulti(line)
		for name, parse := range map[string]func(string) (Message, error){
			"FromRemote": ParseFromRemote, "FromAnnex": ParseFromAnnex,
		} {
			m, err := parse(line)
			if err != nil {
				continue
			}
			again, err := parse(m.String())
			if err != nil {
				t.Fatalf("Parse%s(%q) = %#v, but its String %q does not parse: %v", name, line, m, m.String(), err)
			}
			if diff := cmp.Diff(m, again, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("Parse%s round trip of %q (-first +second):\n%s", name, line, diff)
			}
		}
	})
}
