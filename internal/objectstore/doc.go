// Package objectstore manages a repository's annexed content the way
// git-annex v10 keeps it in .git/annex/objects (annex/objects in a bare
// repository): ingesting files atomically while hashing them once, finding
// objects under either hash-directory scheme, freezing them read-only,
// content locks interoperable with git-annex's own, verification, moving
// corrupt objects to .git/annex/bad, and dropping.
//
// Crash safety: content only ever enters objects/ by rename(2) of a complete
// file from .git/annex/othertmp or .git/annex/tmp, so a process killed at any
// point leaves either no object or a complete one, and the source of an
// ingest is removed only after its object is in place. Files we write
// ourselves (copies and downloads) are fsynced before that rename so that a
// power failure cannot expose an empty object either; an ingest that moves
// (hard-links) the user's file writes no data and does not fsync.
//
// A Store is safe for concurrent use by many goroutines, and several
// processes (Trove or git-annex) may work on the same repository at once.
package objectstore
