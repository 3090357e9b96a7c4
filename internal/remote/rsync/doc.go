// Package rsync is the rsync special remote: content stored with the
// rsync program on a local path, over a remote shell (host:path, ssh by
// default) or on an rsync daemon (rsync://host[:port]/module/path),
// in the same layout as the directory remote
// (<url>/<hashDirLower>/<keyFile>/<keyFile>, mixed-case hash directories
// also read).
//
// It runs rsync the way git-annex does, so the two interoperate on the
// same storage: a store sends a scratch tree holding the key's hash
// directories with --partial-dir, so the file appears under its final
// name only when complete; a retrieve uses --inplace, so an interrupted
// download resumes; a remove sends an empty directory with --delete and
// include rules that match only the key's directories. This package is
// one of the few allowed to start a program (rsync).
package rsync
