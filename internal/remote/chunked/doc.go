// Package chunked is the decorator that stores content on a special
// remote in chunks, as git-annex's chunk= setting does
// (Remote/Helper/Chunked.hs): a key of size s goes to the remote as
// ceil(s/chunksize) chunk keys (KEY-S<chunksize>-C<n>), the chunk count
// is recorded in the key's chunk log through remote.Host once every chunk
// is stored, and retrieval, presence checks and removal follow the chunk
// log (several chunk sizes over time), the current setting and the
// unchunked key.
//
// Uploads resume by skipping the leading chunks the remote already has;
// downloads resume at the last chunk boundary before what the sink holds.
// Chunks are byte ranges of the source file (remote.Source sections): no
// temporary copies are made. Over a base that does CPU work per chunk (a
// Preparer: the encrypted remote) the work is pipelined, bounded and in
// order: the next chunks are encrypted while one is uploaded, and
// retrieved and decrypted into memory while one is written to the sink.
//
// Wrap stacks over any remote, usually over encrypted.Wrap of the base
// remote, so that each chunk is encrypted under its own encrypted key,
// as git-annex does.
package chunked
