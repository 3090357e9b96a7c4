package extproto

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const k1 = "SHA256E-s4--17e682f060b5f8e47ea04c5c4855908b0a5ad612022260fe50e11ecb0cc0ab76.txt"

func TestParseFromRemote(t *testing.T) {
	tests := []struct {
		line string
		want Message
	}{
		{"VERSION 1", New(Version, "1")},
		{"EXTENSIONS INFO ASYNC", New(Extensions, "INFO ASYNC")},
		{"EXTENSIONS ", New(Extensions, "")},
		{"EXTENSIONS", New(Extensions, "")},
		{"PREPARE-SUCCESS", New(PrepareSuccess)},
		{"PREPARE-SUCCESS ", New(PrepareSuccess)},
		{"PREPARE-FAILURE no such  bucket ", New(PrepareFailure, "no such  bucket ")},
		{"TRANSFER-SUCCESS STORE " + k1, New(TransferSuccess, Store, k1)},
		{"TRANSFER-FAILURE RETRIEVE " + k1 + " disk full: try again", New(TransferFailure, Retrieve, k1, "disk full: try again")},
		// git-annex-remote-rclone sends no message: the last param is empty.
		{"TRANSFER-FAILURE STORE " + k1, New(TransferFailure, Store, k1, "")},
		{"CHECKPRESENT-UNKNOWN " + k1 + " failed to parse rclone output", New(CheckPresentUnknown, k1, "failed to parse rclone output")},
		{"CHECKPRESENT-SUCCESS " + k1, New(CheckPresentSuccess, k1)},
		{"REMOVE-FAILURE " + k1, New(RemoveFailure, k1, "")},
		{"COST 150", New(Cost, "150")},
		{"COST 99.5", New(Cost, "99.5")},
		{"AVAILABILITY LOCAL", New(Availability, Local)},
		{"CHECKURL-CONTENTS UNKNOWN", New(CheckURLContents, "UNKNOWN", "")},
		{"CHECKURL-CONTENTS 10 a file.txt", New(CheckURLContents, "10", "a file.txt")},
		{"CHECKURL-MULTI u1 1 f1 u2 UNKNOWN f2", New(CheckURLMulti, "u1 1 f1 u2 UNKNOWN f2")},
		{"WHEREIS-SUCCESS  two  spaces", New(WhereisSuccess, " two  spaces")},
		{"CONFIG storedir where to store things", New(Config, "storedir", "where to store things")},
		{"INFOFIELD repo path", New(InfoField, "repo path")},
		{"RENAMEEXPORT-FAILURE " + k1, New(RenameExportFailure, k1)},
		{"PROGRESS 1024", New(Progress, "1024")},
		{"DIRHASH-LOWER " + k1, New(DirHashLower, k1)},
		{"SETCONFIG myextra hello world", New(SetConfig, "myextra", "hello world")},
		{"SETCONFIG  x", New(SetConfig, "", "x")},
		{"SETCREDS mycreds user pass word", New(SetCreds, "mycreds", "user", "pass word")},
		{"GETUUID", New(GetUUID)},
		{"SETSTATE " + k1 + " some state", New(SetState, k1, "some state")},
		{"SETURIPRESENT " + k1 + " ipfs:QmXyz", New(SetURIPresent, k1, "ipfs:QmXyz")},
		{"GETURLS " + k1 + " http://", New(GetURLs, k1, "http://")},
		{"GETURLS " + k1, New(GetURLs, k1, "")},
		{"INFO stored it", New(Info, "stored it")},
		{"ERROR something bad\r", New(Error, "something bad\r")},
		{"VERSION\t1", New(Version, "1")},
		{"UNSUPPORTED-REQUEST", New(UnsupportedRequest)},
	}
	for _, tt := range tests {
		got, err := ParseFromRemote(tt.line)
		if err != nil {
			t.Errorf("ParseFromRemote(%q): %v", tt.line, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("ParseFromRemote(%q) (-want +got):\n%s", tt.line, diff)
		}
	}
}

func TestParseFromRemoteRejects(t *testing.T) {
	for _, line := range []string{
		"",
		"HELLO",
		"prepare-success",
		"PREPARE-SUCCESS  ",    // parse0 needs nothing after one separator
		"PREPARE-SUCCESS now",  // parse0
		"TRANSFER STORE " + k1, // a request git-annex sends, not one it receives
		"VALUE x",
		"TRANSFER-SUCCESS UPLOAD " + k1,
		"TRANSFER-SUCCESS STORE not-a-key",
		"CHECKPRESENT-SUCCESS",
		"COST cheap",
		"COST .5",
		"AVAILABILITY UNAVAILABLE",
		"CHECKURL-CONTENTS big f",
		"PROGRESS",
		"PROGRESS 1.5",
		"VERSION one",
		"SETURIPRESENT " + k1 + " not a uri",
		"SETURIPRESENT " + k1 + " 1http:x",
	} {
		if m, err := ParseFromRemote(line); err == nil {
			t.Errorf("ParseFromRemote(%q) = %#v, want an error", line, m)
		} else if !errors.Is(err, ErrSyntax) {
			t.Errorf("ParseFromRemote(%q) error %v does not wrap ErrSyntax", line, err)
		}
	}
}

func TestParseFromAnnex(t *testing.T) {
	tests := []struct {
		line string
		want Message
	}{
		{"EXTENSIONS INFO GETGITREMOTENAME ASYNC", New(Extensions, "INFO GETGITREMOTENAME ASYNC")},
		{"PREPARE", New(Prepare)},
		{"TRANSFER STORE " + k1 + " .git/annex/objects/9m/F7/" + k1 + "/" + k1, New(Transfer, Store, k1, ".git/annex/objects/9m/F7/"+k1+"/"+k1)},
		{"TRANSFER RETRIEVE " + k1 + " a path/with spaces", New(Transfer, Retrieve, k1, "a path/with spaces")},
		{"TRANSFEREXPORT STORE " + k1 + " /tmp/export29251-6", New(TransferExport, Store, k1, "/tmp/export29251-6")},
		{"RENAMEEXPORT " + k1 + " zdir/f2 b.txt", New(RenameExport, k1, "zdir/f2 b.txt")},
		{"EXPORT sub dir/file", New(Export, "sub dir/file")},
		{"VALUE ", New(Value, "")},
		{"VALUE 9m/F7/", New(Value, "9m/F7/")},
		{"CREDS user pass word", New(Creds, "user", "pass word")},
		{"CREDS  ", New(Creds, "", "")},
		{"CLAIMURL http://example.com/a b", New(ClaimURL, "http://example.com/a b")},
		{"ERROR bye", New(Error, "bye")},
	}
	for _, tt := range tests {
		got, err := ParseFromAnnex(tt.line)
		if err != nil {
			t.Errorf("ParseFromAnnex(%q): %v", tt.line, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("ParseFromAnnex(%q) (-want +got):\n%s", tt.line, diff)
		}
	}
	for _, bad := range []string{"PREPARE-SUCCESS", "GETCONFIG x", "TRANSFER STORE", "CHECKPRESENT"} {
		if _, err := ParseFromAnnex(bad); err == nil {
			t.Errorf("ParseFromAnnex(%q) succeeded", bad)
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		m    Message
		want string
	}{
		{New(Value, ""), "VALUE "},
		{New(Extensions, "INFO GETGITREMOTENAME ASYNC"), "EXTENSIONS INFO GETGITREMOTENAME ASYNC"},
		{New(Creds, "", ""), "CREDS  "},
		{New(Prepare), "PREPARE"},
		{Message{Job: 2, Command: Transfer, Params: []string{Retrieve, k1, "f"}}, "J 2 TRANSFER RETRIEVE " + k1 + " f"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func TestIsSpace(t *testing.T) {
	for _, r := range []rune{' ', '\t', '\n', '\v', '\f', '\r', 0xa0, 0x2003, 0x3000} {
		if !isSpace(r) {
			t.Errorf("isSpace(%U) = false", r)
		}
	}
	// Haskell's isSpace excludes NEL and the line/paragraph separators
	// that Go's unicode.IsSpace includes.
	for _, r := range []rune{'a', 0x85, 0x2028, 0x2029, 0x200b, 0x1c} {
		if isSpace(r) {
			t.Errorf("isSpace(%U) = true", r)
		}
	}
	if w, r := splitWord("SETCONFIG\u2003a b"); w != "SETCONFIG" || r != "a b" {
		t.Errorf("splitWord at an em space = %q, %q", w, r)
	}
}
