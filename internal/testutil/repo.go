package testutil

import (
	"testing"

	"github.com/troveproject/trove/internal/uuid"
)

// NewRepo creates an empty non-bare git repository (branch master) in a new
// temporary directory and returns its path. The directory is removed when t
// ends, even if read-only annex objects were written into it.
func NewRepo(t testing.TB) string {
	t.Helper()
	dir := TempDir(t)
	RunGit(t, dir, "init", "-q")
	return dir
}

// NewAnnexRepo creates a git repository initialised by the real git-annex
// with the given repository UUID and description, so that its git-annex
// branch is byte-for-byte reproducible, and returns its path. It skips or
// fails the test as RequireGitAnnex says when git-annex is missing.
func NewAnnexRepo(t testing.TB, u uuid.UUID, description string) string {
	t.Helper()
	RequireGitAnnex(t)
	dir := NewRepo(t)
	RunGit(t, dir, "config", "annex.uuid", u.String())
	RunAnnex(t, dir, "init", "-q", description)
	return dir
}
