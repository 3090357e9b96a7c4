// Package uuid names git-annex repositories. A repository UUID is kept as the
// exact string git-annex writes (lower-case, hyphenated for generated ones),
// because logs compare UUIDs bytewise.
package uuid

import (
	"crypto/rand"
	"fmt"
)

// UUID identifies a repository or special remote. The empty UUID means "none".
type UUID string

// Well-known UUIDs of git-annex's built-in remotes.
const (
	Web        UUID = "00000000-0000-0000-0000-000000000001"
	BitTorrent UUID = "00000000-0000-0000-0000-000000000002"
)

// New returns a random version-4 UUID.
func New() UUID {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("uuid: crypto/rand failed: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return UUID(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
}

// String returns the UUID as written in logs.
func (u UUID) String() string { return string(u) }

// IsZero reports whether u is the empty UUID.
func (u UUID) IsZero() bool { return u == "" }
