package gitcmd

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// ParseIndexEntry parses one `ls-files --stage -z` record:
// "MODE SP SHA SP STAGE TAB PATH".
func ParseIndexEntry(rec []byte) (IndexEntry, error) {
	meta, path, ok := bytes.Cut(rec, []byte{'\t'})
	f := strings.Fields(string(meta))
	if !ok || len(f) != 3 || len(f[2]) != 1 {
		return IndexEntry{}, fmt.Errorf("bad ls-files --stage record %q", rec)
	}
	stage, err := strconv.Atoi(f[2])
	if err != nil || !validMode(f[0]) || !validSHA(f[1]) {
		return IndexEntry{}, fmt.Errorf("bad ls-files --stage record %q", rec)
	}
	return IndexEntry{Mode: f[0], SHA: f[1], Stage: stage, Path: string(path)}, nil
}

// ParseTreeEntry parses one `ls-tree -z` record: "MODE SP TYPE SP SHA TAB PATH".
func ParseTreeEntry(rec []byte) (TreeEntry, error) {
	meta, path, ok := bytes.Cut(rec, []byte{'\t'})
	f := strings.Fields(string(meta))
	if !ok || len(f) != 3 || !validMode(f[0]) || !validSHA(f[2]) {
		return TreeEntry{}, fmt.Errorf("bad ls-tree record %q", rec)
	}
	return TreeEntry{Mode: f[0], Type: f[1], SHA: f[2], Path: string(path)}, nil
}

// validMode reports an octal file mode as git prints it.
func validMode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '7' {
			return false
		}
	}
	return true
}

// validSHA reports a lower-case hex object name of sha1 or sha256 length.
func validSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
