// Package gitcmd is the only package that starts git. It discovers a
// repository, runs one-shot git commands with the repository's extra
// configuration and environment, streams NUL-separated listings without
// buffering them, keeps long-running batch processes (cat-file, check-attr,
// update-index, a fast-import blob writer) for per-file work, and reads the
// git configuration into a typed snapshot.
//
// Every git process is started through a Repo, so the -c parameters from our
// own command line, extra environment (GIT_INDEX_FILE, GIT_AUTHOR_*) and the
// filter-disabling parameters of NoFilter apply uniformly. Errors from git
// are *Error values carrying the command line and git's stderr.
package gitcmd
