package crypto

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"hash"

	"github.com/troveproject/trove/internal/key"
)

// MAC is the HMAC algorithm that turns a key into its encrypted name
// (mac= in remote.log; HMACSHA1 when unset).
type MAC string

// The MAC algorithms git-annex knows.
const (
	HMACSHA1   MAC = "HMACSHA1"
	HMACSHA224 MAC = "HMACSHA224"
	HMACSHA256 MAC = "HMACSHA256"
	HMACSHA384 MAC = "HMACSHA384"
	HMACSHA512 MAC = "HMACSHA512"
)

// DefaultMAC is used when mac= is not set.
const DefaultMAC = HMACSHA1

// ErrBadMAC is git-annex's error for an unknown mac= value.
var ErrBadMAC = errors.New("bad mac value")

// ParseMAC parses a mac= value; "" is DefaultMAC. It returns ErrBadMAC for
// anything else git-annex does not know.
func ParseMAC(s string) (MAC, error) {
	switch m := MAC(s); m {
	case "":
		return DefaultMAC, nil
	case HMACSHA1, HMACSHA224, HMACSHA256, HMACSHA384, HMACSHA512:
		return m, nil
	}
	return "", ErrBadMAC
}

func (m MAC) newHash() func() hash.Hash {
	switch m {
	case HMACSHA224:
		return sha256.New224
	case HMACSHA256:
		return sha256.New
	case HMACSHA384:
		return sha512.New384
	case HMACSHA512:
		return sha512.New
	}
	return sha1.New
}

// Sum returns the lowercase hex HMAC of msg under macKey.
func (m MAC) Sum(macKey, msg []byte) string {
	h := hmac.New(m.newHash(), macKey)
	h.Write(msg)
	return hex.EncodeToString(h.Sum(nil))
}

// EncryptKey returns the name k is stored under on an encrypted remote:
// "GPG" + MAC + "--" + hex HMAC of the serialised key (chunk fields
// included), with no size or mtime fields.
func (m MAC) EncryptKey(macKey []byte, k key.Key) key.Key {
	return key.Key{Variety: "GPG" + string(m), Name: m.Sum(macKey, []byte(k.String()))}
}
