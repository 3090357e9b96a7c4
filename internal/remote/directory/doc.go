// Package directory is the directory special remote: annexed content
// kept in a plain directory (an external drive, a mounted share), laid out
// exactly as git-annex lays it out, so that either program reads what the
// other stored.
//
// Layout: <dir>/<hashDirLower>/<keyFile>/<keyFile>, the key directory and
// file read-only. A store writes <dir>/tmp/<keyFile>/<keyFile>, renames
// the key directory into place and freezes it, so no partial object is
// ever visible under its final name. Reads also try the mixed-case hash
// directories of old git-annex versions.
//
// The directory is a local setting: it is kept in git config as
// remote.NAME.annex-directory, never in remote.log, and must be given
// again to enableremote in each clone.
package directory
