package s3

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
)

// versionField is the per-remote metadata field where git-annex records
// the S3 version IDs of a key ("UUID:V" in the key's .log.rmet).
const versionField = "V"

// maxVersionIDLen bounds the version IDs recorded: AWS says they are at
// most 1024 bytes, and git-annex keeps longer ones (2048 characters and
// up) out of the branch.
const maxVersionIDLen = 2048

// objectVersion is one version of an object of a versioned bucket, as
// git-annex records it for a key: the object's name (with fileprefix)
// and the version ID S3 gave it.
type objectVersion struct {
	object string
	id     string
}

// String is the value git-annex records: the version ID, "#", the
// object (S3 version IDs are URL-ready, so never hold a "#").
func (v objectVersion) String() string { return v.id + "#" + v.object }

// parseObjectVersion parses a recorded value as git-annex's
// parseS3VersionID does: everything before the first "#" is the version
// ID, everything after it the object. ok is false for an empty or
// overlong version ID, or text that is not UTF-8.
func parseObjectVersion(s string) (v objectVersion, ok bool) {
	id, object, _ := strings.Cut(s, "#")
	if !utf8.ValidString(s) {
		return objectVersion{}, false
	}
	return newObjectVersion(object, id)
}

// newObjectVersion is the version id of object, unless id is empty or
// overlong (git-annex's mkS3VersionID).
func newObjectVersion(object, id string) (objectVersion, bool) {
	if id == "" || utf8.RuneCountInString(id) >= maxVersionIDLen {
		return objectVersion{}, false
	}
	return objectVersion{object: object, id: id}, true
}

// metaHost is the Host's per-remote metadata, or nil when the repository
// cannot keep it.
func (r *Remote) metaHost() remote.MetaDataHost {
	h, _ := r.host.(remote.MetaDataHost)
	return h
}

// versions returns the versions recorded for k, in the order git-annex
// lists them (by their recorded text). Without versioning=yes, or a Host
// that keeps metadata, there are none.
func (r *Remote) versions(ctx context.Context, k key.Key) ([]objectVersion, error) {
	h := r.metaHost()
	if !r.s.versioning || h == nil {
		return nil, nil
	}
	vals, err := h.RemoteMetaData(ctx, k, versionField)
	if err != nil {
		return nil, fmt.Errorf("remote %s: read the S3 version IDs of %s: %w", r.name, k, err)
	}
	var out []objectVersion
	for _, s := range vals {
		if v, ok := parseObjectVersion(s); ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// recordVersion records that object's version id holds k, when the
// remote has versioning=yes and S3 gave a version ID (git-annex's
// setS3VersionID, after every store of an exported file).
func (r *Remote) recordVersion(ctx context.Context, k key.Key, object, id string) error {
	v, ok := newObjectVersion(object, id)
	h := r.metaHost()
	if !r.s.versioning || !ok || h == nil {
		return nil
	}
	if err := h.SetRemoteMetaData(ctx, k, versionField, v.String(), true); err != nil {
		return fmt.Errorf("remote %s: record S3 version %s of %s for %s: %w", r.name, id, object, k, err)
	}
	return nil
}

// keyVersion says which object and version key-based access to k uses
// (git-annex's eitherS3VersionID): the first version recorded for k, or,
// when none is, k's own object — except on a versioned export, whose
// keys have no objects of their own, where that is an error.
func (r *Remote) keyVersion(ctx context.Context, k key.Key) (string, pin, error) {
	vs, err := r.versions(ctx, k)
	if err != nil {
		return "", pin{}, err
	}
	if len(vs) > 0 {
		return vs[0].object, pin{versionID: vs[0].id}, nil
	}
	if r.s.versioning && r.s.exportTree {
		return "", pin{}, fmt.Errorf("remote %s is configured to use versioning, but no S3 version ID is recorded for %s (export it again with `git annex export BRANCH --to %s`): %w",
			r.name, k, r.name, remote.ErrNotPresent)
	}
	return r.s.object(k.String()), pin{}, nil
}

// checkVersioned refuses to change the exported file of k on a versioned
// remote when no version of k is recorded (git-annex's checkVersioning):
// the file may then be the only copy of its content.
func (r *Remote) checkVersioned(ctx context.Context, k key.Key) error {
	if !r.s.versioning || r.metaHost() == nil {
		return nil
	}
	vs, err := r.versions(ctx, k)
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		return remote.Permanent(fmt.Errorf("remote %s is configured to use versioning, but no S3 version ID is recorded for %s, so it cannot safely be modified", r.name, k))
	}
	return nil
}
