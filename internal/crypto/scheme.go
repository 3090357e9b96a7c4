package crypto

import (
	"fmt"
	"strings"
)

// Scheme is a remote's encryption= setting.
type Scheme string

// The encryption schemes of git-annex.
const (
	// None stores content and key names in the clear.
	None Scheme = "none"
	// Shared keeps the cipher in the clear in the git-annex branch; anyone
	// with a clone can read and write the remote.
	Shared Scheme = "shared"
	// Hybrid keeps the cipher encrypted to gpg keys; content is
	// encrypted symmetrically with it.
	Hybrid Scheme = "hybrid"
	// PubKey encrypts content to gpg keys; the cipher (encrypted to the
	// same keys) is used only for key names.
	PubKey Scheme = "pubkey"
	// SharedPubKey encrypts content to gpg keys; the cipher is in the clear
	// (only for key names), so anyone can store but only key holders read.
	SharedPubKey Scheme = "sharedpubkey"
)

// schemes lists the schemes in the order git-annex's error message names
// them.
var schemes = []Scheme{Hybrid, None, PubKey, Shared, SharedPubKey}

// ParseScheme parses an encryption= value. The error is git-annex's
// ("Specify encryption=hybrid or encryption=none or ...").
func ParseScheme(s string) (Scheme, error) {
	for _, sc := range schemes {
		if string(sc) == s {
			return sc, nil
		}
	}
	return "", errSpecifyScheme
}

// errSpecifyScheme is git-annex's message for a missing or unknown
// encryption= value.
var errSpecifyScheme = func() error {
	parts := make([]string, len(schemes))
	for i, sc := range schemes {
		parts[i] = "encryption=" + string(sc)
	}
	return fmt.Errorf("Specify %s.", strings.Join(parts, " or ")) //nolint:staticcheck // git-annex's exact text
}()

// macOnly reports whether the scheme uses its cipher only for key names
// (content goes to gpg keys).
func (s Scheme) macOnly() bool { return s == PubKey || s == SharedPubKey }

// cipherEncrypted reports whether the scheme stores its cipher encrypted
// to gpg keys (cipherkeys=).
func (s Scheme) cipherEncrypted() bool { return s == Hybrid || s == PubKey }

// cipherBytes is the number of random bytes git-annex asks gpg for.
func (s Scheme) cipherBytes() int {
	if s == PubKey {
		return 256
	}
	return 512
}
