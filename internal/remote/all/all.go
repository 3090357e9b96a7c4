// Package all lists every special remote type this build knows. The list
// is explicit: remote types never register themselves from init().
package all

import "github.com/troveproject/trove/internal/remote"

// Registry returns a new registry of the special remote types Trove
// implements (type= values of remote.log). Each call returns a fresh
// registry; it is cheap.
func Registry() *remote.Registry {
	return remote.NewRegistry(types()...)
}

// types are the remote types, in the order git-annex documents them.
func types() []*remote.Type {
	return []*remote.Type{}
}
