package webdav

import (
	"net/url"
	"strings"

	"github.com/troveproject/trove/internal/key"
)

// tmpPrefix starts the name of an upload in progress at the top of the
// remote (git-annex's Remote/WebDAV/DavLocation.hs tmpLocation).
const tmpPrefix = "git-annex-webdav-tmp-"

// keyDir is the collection holding k's content: "e7d/d01/KEYFILE/".
func keyDir(k key.Key) string { return k.HashDirLower() + k.File() + "/" }

// keyLocation is where k's content is stored.
func keyLocation(k key.Key) string { return keyDir(k) + k.File() }

// keyTmpLocation is where k's content is uploaded before it is moved into
// place.
func keyTmpLocation(k key.Key) string { return tmpPrefix + k.File() }

// parent is the collection loc is in, with a trailing slash, or "" for a
// location at the top of the remote.
func parent(loc string) string {
	loc = strings.TrimSuffix(loc, "/")
	i := strings.LastIndexByte(loc, '/')
	if i < 0 {
		return ""
	}
	return loc[:i+1]
}

// escapePath percent-encodes each '/'-separated segment of loc (a key
// file may contain '%', '?' or '#'), keeping the slashes.
func escapePath(loc string) string {
	segs := strings.Split(loc, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}
