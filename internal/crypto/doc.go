// Package crypto implements git-annex's encryption of special remotes
// (Crypto.hs, Remote/Helper/Encryptable.hs, Utility/Gpg.hs): the schemes
// none, shared, hybrid, pubkey and sharedpubkey; the random cipher string
// and how remote.log stores it (cipher=, cipherkeys=, pubkeys=); the
// HMAC'd key names (GPGHMACSHA1--...) under which encrypted content is
// stored; content encryption; and embedded credentials.
//
// Symmetric content encryption (shared, hybrid) is done in-process with an
// OpenPGP library and produces what `gpg --symmetric --force-mdc` produces:
// an SKESK v4 packet, then SEIPD v1 with MDC holding a compressed packet
// holding a binary literal packet; never armored. Work that needs the
// user's keys — encrypting the cipher to recipients, decrypting it, and
// public-key content encryption (pubkey, sharedpubkey) — runs the user's
// gpg (gpg.program), as git-annex does.
//
// Decryption is where a chunked encrypted remote spends its CPU, so the
// parts of it are done faster than the general libraries do them, for
// the same bytes: gpg's SHA-1 S2K with both passes side by side (s2k.go),
// bulk AES-CFB (cfb.go), and chunk-sized messages decrypted whole in
// memory and inflated from one buffer (whole.go, inflate.go). Each falls
// back to the standard library, go-crypto or klauspost where it does
// not apply (other platforms, other packet shapes, large messages).
//
// The package is at layer 1: it knows keys and gpg, not remotes.
package crypto
