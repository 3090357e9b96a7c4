// Package version holds the version strings the binary reports.
package version

// Trove is this program's own version.
const Trove = "0.1.0"

// AnnexCompat is the git-annex version whose repository format and command
// line Trove implements. `git-annex version --raw` prints it, so tools that
// check git-annex's version (DataLad needs 10.20230126 or later) accept Trove.
const AnnexCompat = "10.20230126"
