// Package backend implements git-annex's key-value backends: the hash
// functions (SHA-2, SHA-3, Skein, BLAKE2 and its parallel modes, SHA-1, MD5)
// that turn file content into keys, the WORM and URL backends that name keys
// after a path or URL, the extension rules of the *E backends, and the
// verification of content against a key.
//
// Every key this package produces is byte-for-byte the key git-annex
// 10.20230126 produces for the same input. The package does no I/O except in
// HashFile, which reads the file it is given.
package backend
