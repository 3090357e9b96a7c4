// Package encrypted is the encryption decorator of special remotes, as
// git-annex's Remote/Helper/Encryptable.hs: Setup validates a remote's
// encryption settings and generates its cipher at initremote (and
// re-encrypts it for enableremote keyid+=/keyid-=); Wrap turns any
// remote into one that stores content encrypted under HMAC'd key names
// (GPGHMACSHA1--...), readable by git-annex and writing what git-annex
// reads. The cryptography itself is in internal/crypto.
package encrypted
