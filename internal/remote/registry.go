package remote

import (
	"context"
	"fmt"
	"sort"

	"github.com/troveproject/trove/internal/uuid"
)

// Config is a special remote's settings as remote.log stores them
// ("type", "name", "encryption", "chunk", "directory" ... without the
// timestamp), merged with values given on the command line. Local-only
// settings (remote.NAME.annex-*) are read through Host.GitConfig.
type Config map[string]string

// Get returns the value of name, or def when it is unset.
func (c Config) Get(name, def string) string {
	if v, ok := c[name]; ok {
		return v
	}
	return def
}

// Params are what a remote type needs to open one remote.
type Params struct {
	Name   string    // the git remote name
	UUID   uuid.UUID // the data UUID (the sameas-uuid for --sameas remotes)
	Config Config    // remote.log fields, with the sameas parent's encryption fields
	Cost   float64   // annex-cost or cost=, else the type's default
	Host   Host
}

// SetupMode says why Setup runs.
type SetupMode int

const (
	// Init is `initremote`: a new remote.
	Init SetupMode = iota
	// Enable is `enableremote` (or autoenable): an existing remote in a
	// new clone; Config holds what remote.log has plus new values.
	Enable
	// Reconfigure is `configremote`: change stored settings only.
	Reconfigure
)

// SetupResult is what Setup decided.
type SetupResult struct {
	// Config is stored in remote.log (transient settings removed,
	// generated ones — defaults, a cipher — added).
	Config Config
	// GitConfig are local settings to write as remote.NAME.<key>
	// ("annex-directory" -> "/mnt/nas"), because git-annex keeps them
	// out of remote.log.
	GitConfig map[string]string
}

// Type is a kind of special remote ("directory", "rsync", "external").
type Type struct {
	// Name is the type= value.
	Name string
	// DefaultCost is the cost of an unencrypted remote of this type.
	DefaultCost float64
	// Setup validates cfg for initremote/enableremote/configremote and
	// completes it (defaults, checks that the storage is reachable, bucket
	// creation). It returns an error naming the missing or bad setting and
	// the command to fix it. Encryption and chunking settings are handled
	// by the caller (the decorators), not by each type.
	Setup func(ctx context.Context, mode SetupMode, u uuid.UUID, cfg Config, h Host) (SetupResult, error)
	// New opens a remote of this type. It must not contact the storage:
	// reachability shows on the first operation.
	New func(ctx context.Context, p Params) (Remote, error)
}

// Registry holds the known remote types. Build it explicitly (see
// remote/all); there is no registration by init().
type Registry struct {
	types map[string]*Type
}

// NewRegistry returns a registry of the given types. It panics on a
// duplicate name, a programming error.
func NewRegistry(types ...*Type) *Registry {
	r := &Registry{types: map[string]*Type{}}
	for _, t := range types {
		if _, dup := r.types[t.Name]; dup {
			panic("remote: type registered twice: " + t.Name)
		}
		r.types[t.Name] = t
	}
	return r
}

// Lookup returns the type called name, or an error listing the known ones.
func (r *Registry) Lookup(name string) (*Type, error) {
	if t, ok := r.types[name]; ok {
		return t, nil
	}
	return nil, fmt.Errorf("unknown special remote type %q (known types: %v)", name, r.Names())
}

// Names returns the known type names, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.types))
	for n := range r.types {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
