// Package gitlocal is the remote for git-annex repositories on local paths
// (a git remote whose URL is a directory, bare or not, or a file:// URL).
//
// Like git-annex, it works on the other repository directly, in process:
// content is copied into the other repository's object store, locked there
// with the same fcntl locks git-annex takes, and recorded in that
// repository's own location log. The repository side of that work is a
// Peer, which this package defines and the annex package implements (the
// remote never imports annex, per the layer rules); git-annex-shell will
// serve the same Peer over ssh later.
package gitlocal
