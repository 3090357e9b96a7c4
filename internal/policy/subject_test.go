package policy

import (
	"context"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/uuid"
)

// file is a test Subject; zero fields are unknown.
type file struct {
	path    string
	size    int64
	hasSize bool
	key     *key.Key
}

func (f file) Path() (string, bool) { return f.path, f.path != "" }
func (f file) Size() (int64, bool)  { return f.size, f.hasSize }
func (f file) Key() (key.Key, bool) {
	if f.key == nil {
		return key.Key{}, false
	}
	return *f.key, true
}

func sized(path string, n int64) file { return file{path: path, size: n, hasSize: true} }

// fakeEnv is an in-memory Env.
type fakeEnv struct {
	here      uuid.UUID
	local     map[key.Key]bool
	locations map[key.Key][]uuid.UUID
	trust     map[uuid.UUID]TrustLevel
	groups    map[uuid.UUID][]string
	numcopies NumCopies
	fileNum   map[string]NumCopies
	metadata  map[key.Key]map[string][]string
	unused    map[key.Key]bool
}

func (e *fakeEnv) Here() uuid.UUID { return e.here }
func (e *fakeEnv) InAnnex(_ context.Context, k key.Key) (bool, error) {
	return e.local[k], nil
}
func (e *fakeEnv) Locations(_ context.Context, k key.Key) ([]uuid.UUID, error) {
	return e.locations[k], nil
}
func (e *fakeEnv) TrustLevel(u uuid.UUID) TrustLevel {
	if t, ok := e.trust[u]; ok {
		return t
	}
	return SemiTrusted
}
func (e *fakeEnv) Groups(u uuid.UUID) []string { return e.groups[u] }
func (e *fakeEnv) GroupMembers(g string) []uuid.UUID {
	var us []uuid.UUID
	for u, gs := range e.groups {
		if contains(gs, g) {
			us = append(us, u)
		}
	}
	return us
}
func (e *fakeEnv) NumCopies(_ context.Context, path string, hasPath bool) (NumCopies, error) {
	if n, ok := e.fileNum[path]; ok && hasPath {
		return n, nil
	}
	return e.numcopies, nil
}
func (e *fakeEnv) MetaData(_ context.Context, k key.Key) (map[string][]string, error) {
	return e.metadata[k], nil
}
func (e *fakeEnv) Unused(_ context.Context, k key.Key) (bool, error) { return e.unused[k], nil }
