package annex

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEncryptionNotes checks the notes initremote and enableremote give,
// as git-annex 10.20230126 showed them for the same commands:
// "initremote d (encryption setup) (to gpg keys: KEY) ok", "enableremote d
// (encryption update) (to gpg keys: KEY) ok", "initremote s (encryption
// setup) (encryption key stored in git repository) ok", "enableremote s
// ok", "initremote n ok".
func TestEncryptionNotes(t *testing.T) {
	ctx := context.Background()
	countingGPG(t)
	r, _ := newHostRepo(t, nil)
	store := t.TempDir()
	var notes []string
	note := func(n string) { notes = append(notes, n) }
	steps := []struct {
		init   bool
		name   string
		params []string
		want   []string
	}{
		{true, "d", []string{"encryption=hybrid", "keyid=" + gpgTestKeyID}, []string{"encryption setup", "to gpg keys: " + gpgTestKeyID}},
		{false, "d", nil, []string{"encryption update", "to gpg keys: " + gpgTestKeyID}},
		{false, "d", []string{"keyid+=" + gpgTestKeyID}, []string{"encryption update", "to gpg keys: " + gpgTestKeyID}},
		{true, "s", []string{"encryption=shared"}, []string{"encryption setup", "encryption key stored in git repository"}},
		{false, "s", nil, nil},
		{true, "n", []string{"encryption=none"}, nil},
	}
	for _, st := range steps {
		notes = nil
		params := append([]string{"directory=" + store}, st.params...)
		var err error
		if st.init {
			_, err = r.InitRemote(ctx, InitRemoteOptions{Name: st.name, Params: append([]string{"type=directory"}, params...), Note: note})
		} else {
			_, err = r.EnableRemote(ctx, EnableRemoteOptions{Name: st.name, Params: params, Note: note})
		}
		if err != nil {
			t.Fatalf("%s %v: %v", st.name, st.params, err)
		}
		if d := cmp.Diff(st.want, notes); d != "" {
			t.Errorf("notes of %s %v (-want +got):\n%s", st.name, st.params, d)
		}
	}
}
