// Package pointer formats and recognises the two ways a work tree refers to
// annexed content: the symlink target of a locked file and the pointer file
// of an unlocked file. The package is pure.
package pointer

import (
	"bytes"
	"strings"

	"github.com/troveproject/trove/internal/key"
)

// MaxSize is the largest file git-annex examines as a possible pointer file.
const MaxSize = 32768

const objectsMarker = "/annex/objects/"

// File returns the content of the pointer file for k: "/annex/objects/KEYFILE\n".
func File(k key.Key) []byte {
	return []byte(objectsMarker + k.File() + "\n")
}

// LinkTarget returns the symlink target of a locked file at relPath (a
// slash-separated path relative to the work tree top) pointing at k's object
// in a non-bare repository whose objects use hashDir (k.HashDirMixed() by default).
func LinkTarget(relPath string, k key.Key, hashDir string) string {
	depth := strings.Count(relPath, "/")
	kf := k.File()
	var b strings.Builder
	b.Grow(depth*3 + 20 + len(hashDir) + 2*len(kf))
	for range depth {
		b.WriteString("../")
	}
	b.WriteString(".git/annex/objects/")
	b.WriteString(hashDir)
	b.WriteString(kf)
	b.WriteByte('/')
	b.WriteString(kf)
	return b.String()
}

// ParseLink returns the key a symlink target refers to, if it is an annex link.
func ParseLink(target string) (key.Key, bool) {
	if !strings.Contains(target, objectsMarker) {
		return key.Key{}, false
	}
	base := target[strings.LastIndexByte(target, '/')+1:]
	k, err := key.FromFile(base)
	return k, err == nil
}

// Parse returns the key a pointer file's content (or a symlink target) refers
// to. Like git-annex it examines only the first line (a trailing '\r'
// dropped), and rejects content larger than MaxSize or with further lines.
func Parse(content []byte) (key.Key, bool) {
	if len(content) > MaxSize || !bytes.Contains(content, []byte(objectsMarker)) {
		return key.Key{}, false
	}
	line, rest, _ := bytes.Cut(content, []byte{'\n'})
	if len(bytes.TrimRight(rest, "\r\n")) > 0 {
		return key.Key{}, false
	}
	line = bytes.TrimSuffix(line, []byte{'\r'})
	return ParseLink(string(line))
}
