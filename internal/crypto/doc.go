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
// The package is at layer 1: it knows keys and gpg, not remotes.
package crypto
