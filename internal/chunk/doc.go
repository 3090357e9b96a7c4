// Package chunk implements git-annex's chunking of content on special
// remotes (Remote/Helper/Chunked.hs): the chunk= and legacy chunksize=
// settings, the chunk keys a key is stored under (KEY with -S<size>-C<n>
// added), which keys may be chunked at all, and the names of the old-style
// chunk files (<base>.chunkN, <base>.chunkcount) that remotes written by
// old git-annex versions hold.
//
// The package is pure: it does no I/O. The decorator that stores and
// retrieves chunks through a remote is remote/chunked.
package chunk
