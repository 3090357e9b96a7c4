package gitcmd

import (
	"testing"
)

func FuzzParseIndexEntry(f *testing.F) {
	f.Add([]byte("100644 " + HashBlob("", nil) + " 0\tpath with space"))
	f.Add([]byte("160000 x 1\t"))
	f.Fuzz(func(t *testing.T, rec []byte) {
		e, err := ParseIndexEntry(rec)
		if err != nil {
			return
		}
		if !validMode(e.Mode) || !validSHA(e.SHA) || e.Stage < 0 || e.Stage > 9 {
			t.Errorf("accepted %q as %+v", rec, e)
		}
	})
}

func FuzzParseTreeEntry(f *testing.F) {
	f.Add([]byte("040000 tree " + HashBlob("", nil) + "\tdir"))
	f.Fuzz(func(t *testing.T, rec []byte) {
		e, err := ParseTreeEntry(rec)
		if err == nil && (!validMode(e.Mode) || !validSHA(e.SHA)) {
			t.Errorf("accepted %q as %+v", rec, e)
		}
	})
}

func FuzzParseDiffHeader(f *testing.F) {
	z := "0000000000000000000000000000000000000000"
	f.Add([]byte(":100644 000000 " + HashBlob("", nil) + " " + z + " D"))
	f.Add([]byte(":100644 100644 " + z + " " + z + " R087"))
	f.Fuzz(func(t *testing.T, rec []byte) {
		e, err := ParseDiffHeader(rec)
		if err == nil && (e.Status == "" || !validSHA(e.SrcSHA) || !validSHA(e.DstSHA)) {
			t.Errorf("accepted %q as %+v", rec, e)
		}
	})
}

func FuzzParseBatchHeader(f *testing.F) {
	f.Add(HashBlob("", nil)+" blob 0", "x")
	f.Add("HEAD:a missing", "HEAD:a")
	f.Fuzz(func(t *testing.T, line, name string) {
		info, found, err := ParseBatchHeader(line, name)
		if err == nil && found && (info.Size < 0 || !validSHA(info.SHA)) {
			t.Errorf("accepted %q as %+v", line, info)
		}
	})
}

func FuzzParseConfigList(f *testing.F) {
	f.Add([]byte("core.bare\nfalse\x00a.b\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfigList(data)
		if err != nil {
			return
		}
		for _, e := range cfg.Entries() {
			v, ok := cfg.Get(e.Name)
			all := cfg.GetAll(e.Name)
			if !ok || len(all) == 0 || all[len(all)-1] != v {
				t.Errorf("Get/GetAll disagree for %q", e.Name)
			}
		}
	})
}

func FuzzParseInt(f *testing.F) {
	f.Add("12k")
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseInt(s)
		if err == nil && n != 0 {
			if _, err := ParseBool(s); err != nil {
				t.Errorf("integer %q is not a bool", s)
			}
		}
	})
}
