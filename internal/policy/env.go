package policy

import (
	"context"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/uuid"
)

// Subject is the thing an expression is matched against: a work-tree file,
// a key, or both. Each method reports whether the datum is known; terms
// whose datum is unknown evaluate as git-annex does (include= and
// largerthan= are false, smallerthan= is true, keyed terms are false).
type Subject interface {
	// Path is the file's path relative to the top of the repository,
	// with '/' separators.
	Path() (string, bool)
	// Size is the size to compare: the on-disk size for annex.largefiles,
	// the key's size for preferred content.
	Size() (int64, bool)
	// Key is the file's key, if it has one.
	Key() (key.Key, bool)
}

// MimeSubject is implemented by subjects that know their libmagic type,
// for mimetype= and mimeencoding= (accepted only with ParseOptions.Mime).
type MimeSubject interface {
	MimeType() (string, bool)
	MimeEncoding() (string, bool)
}

// LockSubject is implemented by subjects that know whether the file is a
// locked (symlink) or unlocked (pointer file) annexed file, for the
// --locked and --unlocked command-line limits.
type LockSubject interface {
	Locked() (locked, known bool)
}

// Env is what the repository knows, as the terms of preferred-content
// expressions need it. Implementations do the I/O; methods taking a
// context may fail, and that error aborts the evaluation. Methods without
// a context answer from data already loaded and must not block.
type Env interface {
	// Here is the UUID of the local repository.
	Here() uuid.UUID
	// InAnnex reports whether the local repository has the content of k.
	InAnnex(ctx context.Context, k key.Key) (bool, error)
	// Locations returns the repositories the location log says have k,
	// dead ones included (policy drops them, as git-annex's keyLocations).
	Locations(ctx context.Context, k key.Key) ([]uuid.UUID, error)
	// TrustLevel returns u's effective trust (SemiTrusted when unset).
	TrustLevel(u uuid.UUID) TrustLevel
	// Groups returns the groups u is in.
	Groups(u uuid.UUID) []string
	// GroupMembers returns the repositories in group g.
	GroupMembers(g string) []uuid.UUID
	// NumCopies returns the numcopies setting for the file at path
	// (attributes included), or the global setting when hasPath is false.
	NumCopies(ctx context.Context, path string, hasPath bool) (NumCopies, error)
	// MetaData returns k's current metadata, field names as stored.
	MetaData(ctx context.Context, k key.Key) (map[string][]string, error)
	// Unused reports whether k is listed as unused.
	Unused(ctx context.Context, k key.Key) (bool, error)
}

// eval carries one evaluation.
type eval struct {
	ctx        context.Context
	env        Env
	subj       Subject
	notPresent map[uuid.UUID]bool
}

// locations returns k's non-dead locations minus those assumed not present.
func (e *eval) locations(k key.Key) ([]uuid.UUID, error) {
	if e.env == nil {
		return nil, nil
	}
	all, err := e.env.Locations(e.ctx, k)
	if err != nil {
		return nil, err
	}
	var out []uuid.UUID
	for _, u := range all {
		if e.env.TrustLevel(u) != Dead && !e.notPresent[u] {
			out = append(out, u)
		}
	}
	return out, nil
}
