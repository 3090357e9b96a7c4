package encrypted

import (
	"context"
	"strings"
	"sync"

	"github.com/troveproject/trove/internal/crypto"
	"github.com/troveproject/trove/internal/remote"
)

// GPGFor returns the gpg settings of the remote called name: gpg.program,
// remote.NAME.annex-gnupg-options and annex-gnupg-decrypt-options (split
// on white space, as git-annex does).
func GPGFor(h remote.Host, name string) *crypto.GPG {
	g := &crypto.GPG{}
	if h == nil {
		return g
	}
	if p, ok := h.GitConfig("gpg.program"); ok {
		g.Program = strings.TrimSpace(p)
	}
	if name != "" {
		if o, ok := h.GitConfig("remote." + name + ".annex-gnupg-options"); ok {
			g.Options = strings.Fields(o)
		}
		if o, ok := h.GitConfig("remote." + name + ".annex-gnupg-decrypt-options"); ok {
			g.DecryptOptions = strings.Fields(o)
		}
	}
	return g
}

// crypters caches opened ciphers for the life of the process (one
// command): decrypting a hybrid or pubkey cipher runs gpg, which is slow
// and may ask for a passphrase, so it happens once per cipher however many
// times a remote is opened.
var crypters struct {
	sync.Mutex
	m map[cacheKey]*crypto.Crypter
}

type cacheKey struct {
	scheme crypto.Scheme
	mac    crypto.MAC
	cipher string
	keys   string
}

// Open returns the Crypter of s, from the process-wide cache when it was
// opened before (by any remote or Host with the same settings), so the
// user's gpg is asked to decrypt a cipher once per command. It is safe for
// concurrent use; a failure is not cached.
func Open(ctx context.Context, s crypto.Settings, g *crypto.GPG) (*crypto.Crypter, error) {
	ck := cacheKey{s.Scheme, s.MAC, s.Cipher, strings.Join(s.KeyIDs, ",")}
	crypters.Lock()
	defer crypters.Unlock()
	if c, ok := crypters.m[ck]; ok {
		return c, nil
	}
	c, err := crypto.Open(ctx, s, g)
	if err != nil {
		return nil, err
	}
	if crypters.m == nil {
		crypters.m = map[cacheKey]*crypto.Crypter{}
	}
	crypters.m[ck] = c
	return c, nil
}
