// Package all lists every special remote type this build knows. The list
// is explicit: remote types never register themselves from init().
package all

import (
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/directory"
	"github.com/troveproject/trove/internal/remote/external"
	"github.com/troveproject/trove/internal/remote/rsync"
	"github.com/troveproject/trove/internal/remote/s3"
	"github.com/troveproject/trove/internal/remote/web"
	"github.com/troveproject/trove/internal/remote/webdav"
)

// Registry returns a new registry of the special remote types Trove
// implements (type= values of remote.log). Each call returns a fresh
// registry; it is cheap.
func Registry() *remote.Registry {
	return remote.NewRegistry(types()...)
}

// types are the remote types. The web type is only for `initremote
// --sameas=web NAME type=web` remotes; the built-in web remote itself is
// opened by the annex layer.
func types() []*remote.Type {
	return []*remote.Type{
		directory.Type,
		rsync.Type,
		s3.Type,
		external.Type,
		web.Type,
		webdav.Type,
	}
}
