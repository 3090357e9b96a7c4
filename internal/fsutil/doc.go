// Package fsutil holds the low-level file operations the repository layers
// share: atomic whole-file writes, copies that hash while copying, and the
// freeze/thaw permission changes git-annex applies to annexed content
// (Annex/Perms.hs), including its core.sharedRepository variants.
//
// Nothing here prints or starts processes; every error names the path it
// concerns and wraps the underlying error.
package fsutil
