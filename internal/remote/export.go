package remote

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
)

// ExportLocation is where a file of an exported tree lives on a remote: a
// '/'-separated path relative to the export root, as it is in the git
// tree. It is never empty, never absolute and has no empty, "." or ".."
// segment, so a remote joining it to its root can never leave the root.
// The zero value is invalid; make one with NewExportLocation.
type ExportLocation struct{ path string }

// ErrBadExportLocation is wrapped by the error NewExportLocation returns
// for a path that would escape the export root or is not a relative file
// path.
var ErrBadExportLocation = errors.New("not a path inside the export root")

// NewExportLocation validates p as a path relative to the export root. The
// error wraps ErrBadExportLocation and names p.
func NewExportLocation(p string) (ExportLocation, error) {
	bad := func(why string) (ExportLocation, error) {
		return ExportLocation{}, fmt.Errorf("export location %q: %s: %w", p, why, ErrBadExportLocation)
	}
	switch {
	case p == "":
		return bad("empty path")
	case strings.HasPrefix(p, "/"):
		return bad("absolute path")
	case strings.ContainsRune(p, 0):
		return bad("NUL byte in path")
	}
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "":
			return bad("empty path segment")
		case ".", "..":
			return bad(fmt.Sprintf("%q path segment", seg))
		}
	}
	return ExportLocation{path: p}, nil
}

// String returns the location's '/'-separated relative path ("" for the
// zero value).
func (l ExportLocation) String() string { return l.path }

// Dirs returns the directories l is in, deepest first ("a/b/c" → "a/b",
// "a"); none for a file at the root. Each is itself a valid location, for
// RemoveExportDirectory.
func (l ExportLocation) Dirs() []ExportLocation {
	var dirs []ExportLocation
	p := l.path
	for {
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return dirs
		}
		p = p[:i]
		dirs = append(dirs, ExportLocation{path: p})
	}
}

// TempExportLocation is the name git-annex gives a file at the export root
// while it is being renamed (".git-annex-tmp-content-KEY"), so that swaps
// and cycles of renames never overwrite a file still needed.
func TempExportLocation(k key.Key) ExportLocation {
	return ExportLocation{path: tempExportPrefix + k.File()}
}

// tempExportPrefix starts the names TempExportLocation gives.
const tempExportPrefix = ".git-annex-tmp-content-"

// IsTempExportName reports whether a file name is one TempExportLocation
// gives, which an import must never take for a file of the tree.
func IsTempExportName(name string) bool { return strings.HasPrefix(name, tempExportPrefix) }

// Exporter is the ability to hold a tree of files under their own names
// (exporttree=yes), modelled on git-annex's ExportActions and the external
// protocol's export messages. A remote has it when its type supports
// export; the annex layer uses it only for remotes configured with
// exporttree=yes. Methods are safe for concurrent use on different
// locations.
type Exporter interface {
	// StoreExport writes src's content (k's) at loc, creating directories
	// as needed. A reader never sees a partial file at loc: the content
	// is written under a temporary name and renamed, where the remote
	// allows. Storing over an existing file replaces it.
	StoreExport(ctx context.Context, src Source, k key.Key, loc ExportLocation, m progress.Meter) error
	// RetrieveExport writes the content at loc (expected to be k's) into
	// dst. It returns an error wrapping ErrNotPresent when there is no
	// file at loc. The caller verifies the content against k.
	RetrieveExport(ctx context.Context, k key.Key, loc ExportLocation, dst Sink, m progress.Meter) error
	// CheckPresentExport reports whether there is a file at loc. Like
	// CheckPresent, it errs only when presence cannot be determined.
	CheckPresentExport(ctx context.Context, k key.Key, loc ExportLocation) (bool, error)
	// RemoveExport deletes the file at loc; an absent file is not an
	// error.
	RemoveExport(ctx context.Context, k key.Key, loc ExportLocation) error
	// RemoveExportDirectory deletes the directory dir when the remote has
	// directories (and anything left in it); remotes without directories
	// return nil. An absent directory is not an error.
	RemoveExportDirectory(ctx context.Context, dir ExportLocation) error
	// RenameExport moves the file at from (k's content) to to, creating
	// to's directories. It returns supported=false, and no error, when
	// the remote cannot rename; the caller then removes and re-uploads.
	RenameExport(ctx context.Context, k key.Key, from, to ExportLocation) (supported bool, err error)
}

// VersionedExporter is implemented by export remotes that keep old
// versions of files (S3 with versioning=yes), as git-annex's
// versionedExport. For such a remote the repository does as git-annex:
// it retrieves and checks a key with the remote's key-based Retrieve and
// CheckPresent (which find the version recorded for the key, even after
// the key's file left the exported tree), falling back to the exported
// files; it leaves the remote recorded as having a key whose file is
// unexported; and it counts the remote's copies toward numcopies, while
// every other export or import remote is treated as untrusted.
type VersionedExporter interface {
	VersionedExport() bool
}

// MetaDataHost is a Host that also keeps the remote's per-remote metadata
// of keys (git-annex's RemoteMetaData: the fields "UUID:FIELD" of the
// key's .log.rmet in the git-annex branch), where S3 records version IDs.
// A remote finds it by type assertion on its Host. Methods are safe for
// concurrent use.
type MetaDataHost interface {
	Host
	// RemoteMetaData returns the values of the remote's field of k that
	// are currently set (git-annex's getCurrentRemoteMetaData), sorted
	// by their bytes; none when the field was never set.
	RemoteMetaData(ctx context.Context, k key.Key, field string) ([]string, error)
	// SetRemoteMetaData records value as set (or, with set false, unset)
	// in the remote's field of k, as git-annex's addRemoteMetaData: one
	// line stamped with the vector clock, the log then simplified.
	// Setting a value already set adds nothing new to the state.
	SetRemoteMetaData(ctx context.Context, k key.Key, field, value string, set bool) error
}

// ContentID identifies one version of a file on an import remote without
// reading it (directory: "inode size mtime frac"; S3: the ETag or version
// ID). Git-annex records them in KEY.log.cid. It is opaque to the caller.
type ContentID string

// ImportableFile is a file found on an import remote.
type ImportableFile struct {
	Loc  ExportLocation
	CID  ContentID
	Size int64
}

// ErrContentChanged is wrapped by the errors of Importer methods when the
// file at a location is not the version the caller named by its content
// identifiers (someone changed it on the remote since it was listed).
var ErrContentChanged = errors.New("file changed on the remote")

// Importer is the ability to list and fetch a tree of files that others
// change on the remote (importtree=yes), modelled on git-annex's
// ImportActions. Its methods name the version of a file they act on by
// content identifiers, so that nothing changed on the remote is lost.
// Methods are safe for concurrent use on different locations.
type Importer interface {
	// ListImportable lists every file on the remote (in no particular
	// order), skipping files being written by an export (temporary
	// names). Files whose names are not valid locations are skipped.
	ListImportable(ctx context.Context) ([]ImportableFile, error)
	// RetrieveImport writes the file at loc into dst when its current
	// content identifier is cid, and returns an error wrapping
	// ErrContentChanged when it is not (checked again after the copy).
	RetrieveImport(ctx context.Context, loc ExportLocation, cid ContentID, dst Sink, m progress.Meter) error
	// StoreExportWithContentID writes src (k's content) at loc and returns
	// the new file's content identifier. A file already at loc is
	// replaced only when its identifier is one of overwritable; else the
	// error wraps ErrContentChanged.
	StoreExportWithContentID(ctx context.Context, src Source, k key.Key, loc ExportLocation, overwritable []ContentID, m progress.Meter) (ContentID, error)
	// RemoveExportWithContentID deletes the file at loc when its content
	// identifier is one of removable (else the error wraps
	// ErrContentChanged); an absent file is not an error.
	RemoveExportWithContentID(ctx context.Context, k key.Key, loc ExportLocation, removable []ContentID) error
	// CheckPresentExportWithContentID reports whether loc holds a file
	// whose identifier is one of cids.
	CheckPresentExportWithContentID(ctx context.Context, k key.Key, loc ExportLocation, cids []ContentID) (bool, error)
	// RemoveExportDirectoryWhenEmpty deletes dir if it is empty; a
	// non-empty or absent directory is not an error.
	RemoveExportDirectoryWhenEmpty(ctx context.Context, dir ExportLocation) error
}
