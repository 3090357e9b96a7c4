// Package chunk implements git-annex's chunking of content on special
// remotes (Remote/Helper/Chunked.hs): the chunk= and legacy chunksize=
// settings, the chunk keys a key is stored under (KEY with -S<size>-C<n>
// added) and which keys may be chunked at all. Old-style chunksize=
// remotes are recognised (so that they can be refused clearly), not read.
//
// The package is pure: it does no I/O. The decorator that stores and
// retrieves chunks through a remote is remote/chunked.
package chunk
